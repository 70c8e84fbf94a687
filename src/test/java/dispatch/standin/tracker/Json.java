package dispatch.standin.tracker;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON and date helpers shared by the fake: one mapper, Tracker's date format, lenient date parsing. */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** Tracker emits {@code 2017-06-11T05:16:01.339+0000}, always UTC. */
    private static final DateTimeFormatter OUT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** Accepts {@code +03:00}, {@code +0300}, {@code Z} and any fraction length. */
    private static final DateTimeFormatter IN = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .appendLiteral('T')
            .appendPattern("HH:mm[:ss]")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter QUERY_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm[:ss]");
    private static final DateTimeFormatter[] QUERY_DATES = {
        DateTimeFormatter.ISO_LOCAL_DATE,
        DateTimeFormatter.ofPattern("MM/dd/yyyy"),
        DateTimeFormatter.ofPattern("dd.MM.yyyy"),
        DateTimeFormatter.ofPattern("dd-MM-yyyy")
    };

    private Json() {}

    static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    static String format(Instant instant) {
        return OUT.format(instant);
    }

    /** A full timestamp in any ISO-8601 offset form; a missing offset means UTC, as Tracker assumes. */
    static Instant parseInstant(String text) {
        var parsed = IN.parseBest(text.trim(), OffsetDateTime::from, LocalDateTime::from);
        return parsed instanceof OffsetDateTime odt
                ? odt.toInstant()
                : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    /**
     * A moment or a whole day: returns {@code [start, endExclusive)}. Date-only values and the query
     * language's {@code "yyyy-MM-dd HH:mm:ss"} are accepted as well as ISO-8601 timestamps.
     */
    static Instant[] parseSpan(String text) {
        String t = text.trim();
        try {
            Instant at = parseInstant(t);
            return new Instant[] {at, at.plusNanos(1)};
        } catch (DateTimeParseException ignored) {
            // fall through to the other accepted forms
        }
        try {
            Instant at = LocalDateTime.parse(t, QUERY_DATETIME).toInstant(ZoneOffset.UTC);
            return new Instant[] {at, at.plusSeconds(1)};
        } catch (DateTimeParseException ignored) {
            // fall through
        }
        for (DateTimeFormatter f : QUERY_DATES) {
            try {
                Instant day = LocalDate.parse(t, f).atStartOfDay(ZoneOffset.UTC).toInstant();
                return new Instant[] {day, day.plusSeconds(86_400)};
            } catch (DateTimeParseException ignored) {
                // try the next form
            }
        }
        throw new TrackerException(400, "Invalid date: " + text);
    }
}
