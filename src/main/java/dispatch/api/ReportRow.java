package dispatch.api;

import dispatch.incident.RegistrationMethod;
import dispatch.sla.Sla;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One incident as the report query returns it, and its fields in the order and format clients have always had plus the
 * fields that are new here. {@link #render} is the single list of fields: JSON, CSV and the CSV header all use it.
 */
record ReportRow(
        @Nullable Long id,
        @Nullable String code,
        @Nullable String trackerKey,
        @Nullable Instant incidentAt,
        @Nullable Instant finishedAt,
        @Nullable RegistrationMethod registrationMethod,
        @Nullable String type,
        @Nullable Integer slaMinutes,
        @Nullable String lastStatus,
        boolean hasHistory,
        @Nullable Instant handedOverAt,
        @Nullable Instant vendorFinishedAt,
        @Nullable String baseStation,
        @Nullable String operatorGroup,
        @Nullable String operators,
        @Nullable String pole,
        @Nullable String regionRu,
        @Nullable String address,
        @Nullable Double latitude,
        @Nullable Double longitude,
        @Nullable String vendor,
        @Nullable String vendorEmails,
        @Nullable String dispatcher,
        @Nullable Instant slaDeadline,
        boolean slaPaused) {

    /** Receives the fields of a row in order; values are null, String, Boolean, Long or Double. */
    interface FieldSink {
        void field(String name, @Nullable Object value) throws IOException;
    }

    /** ISO-8601 with the zone's offset and no fractions: {@code 2025-09-17T13:39:11+03:00} (docs/domain.md, "SLA"). */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    private static final ReportRow EMPTY = new ReportRow(
            null, null, null, null, null, null, null, null, null, false, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, false);

    /** The field names in output order (the CSV header). */
    static final List<String> FIELD_NAMES = fieldNames();

    void render(Instant now, ZoneId zone, FieldSink out) throws IOException {
        // The deadline in effect (docs/sla.md, "SLA clock"): a business calendar's or moved by pauses; none while
        // paused.
        Sla.Clocked sla = new Sla.Clocked(slaDeadline, slaPaused);
        Instant deadline = sla.deadline();
        Instant vendorDeadline = handedOverAt == null
                ? null
                : Sla.deadline(handedOverAt, slaMinutes).orElse(null);
        out.field("id", id);
        out.field("code", trackerKey != null ? trackerKey : code);
        out.field("incident_datetime", format(incidentAt, zone));
        out.field("incident_type", type);
        out.field("is_vendor_sla_expired", vendorDeadline == null ? null : vendorExpired(vendorDeadline, now));
        out.field("vendor_deadline", format(vendorDeadline, zone));
        out.field("is_incident_finish", id == null ? null : finishedAt != null);
        out.field("incident_finish_datetime", format(finishedAt, zone));
        out.field("last_status", lastStatus);
        out.field("is_transfer_to_avr", hasHistory ? handedOverAt != null : null);
        out.field("transfer_timestamp_to_avr", format(handedOverAt, zone));
        out.field("base_station", baseStation);
        out.field("operator_group", baseStation == null ? null : nonNull(operatorGroup));
        out.field("operators", baseStation == null ? null : nonNull(operators));
        out.field("pole", pole);
        out.field("region_ru", regionRu);
        out.field("address", address);
        out.field("pole_latitude", finite(latitude));
        // The old name, kept for existing clients; the old service put the latitude here.
        out.field("pole_longtitude", finite(longitude));
        out.field("vendor", vendor);
        out.field("vendor_emails", vendor == null ? null : nonNull(vendorEmails));
        out.field("registration_method", registrationMethod == null ? null : registrationMethod.text());
        out.field("pole_longitude", finite(longitude));
        out.field("tracker_key", trackerKey);
        out.field("incident_code", code);
        out.field("sla_deadline", format(deadline, zone));
        out.field("sla_status", id == null ? null : sla.status(finishedAt, now).text());
        out.field("dispatcher", dispatcher);
    }

    /**
     * The contractor's SLA (docs/domain.md, "Incident types and SLA"): late when the first closing status after the hand-over came
     * after the deadline, or, with none yet, when now is past it.
     */
    private boolean vendorExpired(Instant deadline, Instant now) {
        Instant check = vendorFinishedAt != null ? vendorFinishedAt : now;
        return check.isAfter(deadline);
    }

    /** As {@link #DATE_TIME} would, by hand: a report formats five times per row and the formatter is slow. */
    static @Nullable String format(@Nullable Instant at, ZoneId zone) {
        if (at == null) return null;
        ZoneOffset offset = zone.getRules().getOffset(at);
        LocalDateTime t = LocalDateTime.ofEpochSecond(at.getEpochSecond(), 0, offset);
        int offsetMinutes = offset.getTotalSeconds() / 60;
        if (t.getYear() < 1000 || t.getYear() > 9999 || offset.getTotalSeconds() % 60 != 0) {
            return DATE_TIME.format(at.truncatedTo(ChronoUnit.SECONDS).atZone(zone));
        }
        StringBuilder s = new StringBuilder(25).append(t.getYear());
        two(s.append('-'), t.getMonthValue());
        two(s.append('-'), t.getDayOfMonth());
        two(s.append('T'), t.getHour());
        two(s.append(':'), t.getMinute());
        two(s.append(':'), t.getSecond());
        two(s.append(offsetMinutes < 0 ? '-' : '+'), Math.abs(offsetMinutes) / 60);
        two(s.append(':'), Math.abs(offsetMinutes) % 60);
        return s.toString();
    }

    private static void two(StringBuilder s, int value) {
        s.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    private static @Nullable Double finite(@Nullable Double value) {
        return value == null || !Double.isFinite(value) ? null : value;
    }

    private static String nonNull(@Nullable String value) {
        return value == null ? "" : value;
    }

    private static List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        try {
            EMPTY.render(Instant.EPOCH, ZoneId.of("UTC"), (name, value) -> names.add(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(names);
    }
}
