package dispatch.api;

import java.net.URI;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * The filters, paging and representation of one report request, parsed and checked (README, "Reports API"). Dates are whole
 * days in the display zone; {@code from} is inclusive, {@code until} exclusive.
 */
record ReportQuery(
        @Nullable Instant from,
        @Nullable Instant until,
        @Nullable Instant updatedSince,
        @Nullable Boolean finished,
        @Nullable String code,
        @Nullable Long id,
        @Nullable Integer limit,
        int offset,
        Format format) {

    static final int MAX_LIMIT = 10_000;

    /** JSON, or CSV for Excel (UTF-8 with a BOM) with its separator. */
    enum Format {
        JSON,
        CSV_COMMA,
        CSV_SEMICOLON;

        boolean csv() {
            return this != JSON;
        }

        char separator() {
            return this == CSV_SEMICOLON ? ';' : ',';
        }
    }

    /** A request parameter with a value the API does not accept; answered with 400 naming it. */
    static final class BadParameter extends RuntimeException {
        static final URI TYPE = URI.create("urn:dispatch:problem:bad-parameter");

        private final String parameter;

        BadParameter(String parameter, String message) {
            super(message);
            this.parameter = parameter;
        }

        String parameter() {
            return parameter;
        }

        /** The 400 answer: RFC 9457 problem details naming the parameter. */
        ProblemDetail problem() {
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, getMessage());
            problem.setType(TYPE);
            problem.setTitle("Bad request parameter");
            problem.setProperty("parameter", parameter);
            return problem;
        }
    }

    /** The raw parameters as the client sent them (null when absent). */
    record Raw(
            @Nullable String lastMonth,
            @Nullable String incidentDateAfter,
            @Nullable String incidentDateBefore,
            @Nullable String updatedSince,
            @Nullable String isIncidentFinish,
            @Nullable String code,
            @Nullable String limit,
            @Nullable String offset,
            @Nullable String format,
            @Nullable String separator,
            @Nullable String accept) {}

    static ReportQuery parse(Raw raw, @Nullable Long id, Instant now, ZoneId zone) {
        Instant from = null;
        Instant until = null;
        if (bool("last_month", raw.lastMonth()) == Boolean.TRUE) {
            from = lastMonthStart(now, zone);
            until = now.plusNanos(1000); // "until now" inclusive, at the database's microsecond precision
        }
        LocalDate after = date("incident_date_after", raw.incidentDateAfter());
        LocalDate before = date("incident_date_before", raw.incidentDateBefore());
        if (after != null && before != null && after.isAfter(before)) {
            throw new BadParameter(
                    "incident_date_after",
                    "incident_date_after (" + after + ") is after incident_date_before (" + before + ")");
        }
        if (after != null) from = later(from, after.atStartOfDay(zone).toInstant());
        if (before != null)
            until = earlier(until, before.plusDays(1).atStartOfDay(zone).toInstant());
        String code =
                raw.code() == null || raw.code().isBlank() ? null : raw.code().strip();
        if (code != null && code.length() > 64) throw new BadParameter("code", "code must be at most 64 characters");
        Integer limit = integer("limit", raw.limit(), 1, MAX_LIMIT);
        Integer offset = integer("offset", raw.offset(), 0, Integer.MAX_VALUE);
        return new ReportQuery(
                from,
                until,
                dateTime("updated_since", raw.updatedSince(), zone),
                bool("is_incident_finish", raw.isIncidentFinish()),
                code,
                id,
                limit,
                offset == null ? 0 : offset,
                format(raw.format(), raw.separator(), raw.accept()));
    }

    /** The 1st of the previous month, 00:00 in {@code zone}. */
    static Instant lastMonthStart(Instant now, ZoneId zone) {
        return now.atZone(zone)
                .toLocalDate()
                .withDayOfMonth(1)
                .minusMonths(1)
                .atStartOfDay(zone)
                .toInstant();
    }

    private static @Nullable Boolean bool(String name, @Nullable String value) {
        if (value == null || value.isEmpty()) return null;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadParameter(name, name + " must be true or false");
        };
    }

    static @Nullable LocalDate date(String name, @Nullable String value) {
        if (value == null || value.isEmpty()) return null;
        try {
            return LocalDate.parse(value);
        } catch (DateTimeException e) {
            throw new BadParameter(name, name + " must be a date YYYY-MM-DD, e.g. 2026-11-01");
        }
    }

    /** A date-time with offset, a local date-time (in {@code zone}) or a date (its start in {@code zone}). */
    private static @Nullable Instant dateTime(String name, @Nullable String value, ZoneId zone) {
        if (value == null || value.isEmpty()) return null;
        // A '+' in a query string arrives as a space unless the client encoded it as %2B.
        String v = value.strip().replace(' ', '+');
        try {
            if (v.length() == 10) return LocalDate.parse(v).atStartOfDay(zone).toInstant();
            if (v.endsWith("Z") || v.matches(".*[+-]\\d\\d:\\d\\d$"))
                return OffsetDateTime.parse(v).toInstant();
            return ZonedDateTime.of(LocalDateTime.parse(v), zone).toInstant();
        } catch (DateTimeException e) {
            throw new BadParameter(
                    name,
                    name + " must be an ISO-8601 date-time, e.g. 2026-11-01T09:30:00+03:00" + " (without an offset: "
                            + zone + " time), or a date YYYY-MM-DD");
        }
    }

    private static @Nullable Integer integer(String name, @Nullable String value, int min, int max) {
        if (value == null || value.isEmpty()) return null;
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameter(
                name, name + " must be a whole number " + (max == Integer.MAX_VALUE ? ">= " + min : min + ".." + max));
    }

    /** From {@code format} and {@code separator}, else from the {@code Accept} header; JSON by default. */
    static Format format(@Nullable String format, @Nullable String separator, @Nullable String accept) {
        boolean csv;
        if (format == null || format.isEmpty()) {
            csv = accept != null && accept.toLowerCase(Locale.ROOT).contains("text/csv");
        } else {
            csv = switch (format.toLowerCase(Locale.ROOT)) {
                case "json" -> false;
                case "csv" -> true;
                default -> throw new BadParameter("format", "format must be json or csv");
            };
        }
        if (separator == null || separator.isEmpty()) return csv ? Format.CSV_COMMA : Format.JSON;
        Format withSeparator = switch (separator.toLowerCase(Locale.ROOT)) {
            case ",", "comma" -> Format.CSV_COMMA;
            case ";", "semicolon" -> Format.CSV_SEMICOLON;
            default -> throw new BadParameter("separator", "separator must be comma or semicolon (, or ;)");
        };
        return csv ? withSeparator : Format.JSON;
    }

    private static Instant later(@Nullable Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }

    private static Instant earlier(@Nullable Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    /**
     * What shapes the body besides the matched rows: filters only choose rows (and the rows are fingerprinted), so they
     * are left out; {@code last_month}'s moving "now" would otherwise change the ETag at every request.
     */
    String shape() {
        return (id == null ? "list" : "one:" + id) + "|" + limit + "|" + offset + "|" + format;
    }

    static Instant truncate(Instant now) {
        return now.truncatedTo(ChronoUnit.MICROS);
    }
}
