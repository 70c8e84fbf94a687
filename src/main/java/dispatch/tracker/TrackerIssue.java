package dispatch.tracker;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An issue as Tracker returned it: the parts Dispatch reads, plus the whole JSON object for custom fields.
 *
 * @param assigneeUid the assignee's uid as Tracker sends it in user refs ({@code assignee.id}), or null
 * @param resolvedAt Tracker's resolution time when present
 * @param json the issue object; custom fields are top-level keys (local fields under their full id)
 */
record TrackerIssue(
        String key,
        String id,
        long version,
        String statusKey,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant resolvedAt,
        @Nullable String assigneeUid,
        JsonNode json) {

    /** Tracker's {@code 2017-06-11T05:16:01.339+0000} and any other ISO-8601 form, with or without an offset. */
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .appendPattern("HH:mm")
            .optionalStart()
            .appendPattern(":ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalEnd()
            .toFormatter(Locale.ROOT);

    /** Reads an issue object as Tracker returns it from get, create, patch and search. */
    static TrackerIssue of(JsonNode json) {
        return new TrackerIssue(
                json.path("key").asString(),
                json.path("id").asString(""),
                json.path("version").asLong(0),
                json.path("status").path("key").asString(""),
                parse(json.path("createdAt").asString("")).orElse(Instant.EPOCH),
                parse(json.path("updatedAt").asString("")).orElse(Instant.EPOCH),
                parse(json.path("resolvedAt").asString("")).orElse(null),
                json.path("assignee").path("id").isValueNode()
                        ? json.path("assignee").path("id").asString()
                        : null,
                json);
    }

    /**
     * A field's value as text: null when absent, JSON null or blank; numbers as their decimal text. A reference
     * object gives its {@code key} (or {@code id}), a list its items joined with {@code ", "} (a multiple-choice
     * drop-down).
     */
    @Nullable
    String text(String field) {
        String text = text(json.get(field));
        return text == null || text.isBlank() ? null : text;
    }

    /**
     * When the issue entered its current status: Tracker's {@code statusStartTime}, else its {@code updatedAt} (the
     * change the pull found, at the latest).
     */
    Instant statusStart() {
        return time("statusStartTime").orElse(updatedAt);
    }

    /** A datetime field (any ISO-8601 offset form Tracker returns, e.g. {@code 2017-06-11T05:16:01.339+0000}). */
    Optional<Instant> time(String field) {
        String text = text(field);
        return text == null ? Optional.empty() : parse(text);
    }

    private static @Nullable String text(@Nullable JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> {
                String text = text(item);
                if (text != null && !text.isBlank()) items.add(text);
            });
            return String.join(", ", items);
        }
        if (node.isObject()) {
            return node.has("key") ? text(node.get("key")) : text(node.get("id"));
        }
        return node.asString();
    }

    /** Empty for blank or unreadable text; a date alone is its start in UTC, a time without offset is UTC. */
    static Optional<Instant> parse(String text) {
        if (text.isBlank()) {
            return Optional.empty();
        }
        try {
            TemporalAccessor parsed = TIME.parse(text.trim());
            if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
                return Optional.of(
                        LocalDate.from(parsed).atStartOfDay(ZoneOffset.UTC).toInstant());
            }
            ZoneOffset offset =
                    parsed.isSupported(ChronoField.OFFSET_SECONDS) ? ZoneOffset.from(parsed) : ZoneOffset.UTC;
            return Optional.of(LocalDateTime.from(parsed).toInstant(offset));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
