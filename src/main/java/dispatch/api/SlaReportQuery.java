package dispatch.api;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The period, grouping and representation of one SLA statistics request, parsed and checked (decision 0028, README
 * "SLA statistics"). The period is whole days in the service's zone, {@code from} inclusive, {@code to} exclusive; an
 * incident belongs to it by its SLA start ({@code incident_at}).
 */
record SlaReportQuery(
        LocalDate from, LocalDate to, Instant start, Instant end, GroupBy groupBy, ReportQuery.Format format) {

    /** Without {@code to}: up to tomorrow, so today counts. Without {@code from}: one month before {@code to}. */
    static final Period DEFAULT_SPAN = Period.ofMonths(1);

    /** Longer is a typo (a year 0206, 20206) rather than a question; ten years of history fit with room to spare. */
    static final Period MAX_SPAN = Period.ofYears(20);

    static final LocalDate EARLIEST = LocalDate.of(2000, 1, 1);
    static final LocalDate LATEST = LocalDate.of(2100, 1, 1);

    static final Set<String> PARAMETERS = Set.of("from", "to", "group_by", "format", "separator");

    /** What the rows are grouped by: a column of {@code incident_report}, never text from the request. */
    enum GroupBy {
        TYPE("type_name"),
        REGION("region_ru"),
        CONTRACTOR("vendor"),
        DISPATCHER("dispatcher");

        private final String column;

        GroupBy(String column) {
            this.column = column;
        }

        String column() {
            return column;
        }

        String parameterValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Parses the request's parameters as the servlet API hands them over (every value of every name): an unknown name
     * or a name given twice is refused, so a typo never silently falls back to a default.
     */
    static SlaReportQuery parse(Map<String, String[]> parameters, @Nullable String accept, Instant now, ZoneId zone) {
        Set<String> unknown = new TreeSet<>(parameters.keySet());
        unknown.removeAll(PARAMETERS);
        if (!unknown.isEmpty()) {
            String name = unknown.iterator().next();
            throw new ReportQuery.BadParameter(
                    shown(name), "unknown parameter " + shown(name) + "; known: from, to, group_by, format, separator");
        }
        LocalDate tomorrow = now.atZone(zone).toLocalDate().plusDays(1);
        LocalDate to = bounded("to", ReportQuery.date("to", single(parameters, "to")));
        LocalDate from = bounded("from", ReportQuery.date("from", single(parameters, "from")));
        if (to == null) to = tomorrow;
        if (from == null) from = to.minus(DEFAULT_SPAN);
        if (!from.isBefore(to)) {
            throw new ReportQuery.BadParameter(
                    "from",
                    "from (" + from + ") must be before to (" + to + "); to is exclusive: for one day, give the day"
                            + " after as to");
        }
        if (from.plus(MAX_SPAN).isBefore(to)) {
            throw new ReportQuery.BadParameter("to", "the period may span at most " + MAX_SPAN.getYears() + " years");
        }
        return new SlaReportQuery(
                from,
                to,
                from.atStartOfDay(zone).toInstant(),
                to.atStartOfDay(zone).toInstant(),
                groupBy(single(parameters, "group_by")),
                ReportQuery.format(single(parameters, "format"), single(parameters, "separator"), accept));
    }

    private static @Nullable String single(Map<String, String[]> parameters, String name) {
        String[] values = parameters.get(name);
        if (values == null || values.length == 0) return null;
        if (values.length > 1) throw new ReportQuery.BadParameter(name, name + " must be given at most once");
        return values[0];
    }

    private static @Nullable LocalDate bounded(String name, @Nullable LocalDate date) {
        if (date != null && (date.isBefore(EARLIEST) || date.isAfter(LATEST))) {
            throw new ReportQuery.BadParameter(name, name + " must lie between " + EARLIEST + " and " + LATEST);
        }
        return date;
    }

    private static GroupBy groupBy(@Nullable String value) {
        if (value == null || value.isEmpty()) return GroupBy.TYPE;
        for (GroupBy g : GroupBy.values()) {
            if (g.parameterValue().equalsIgnoreCase(value)) return g;
        }
        throw new ReportQuery.BadParameter("group_by", "group_by must be type, region, contractor or dispatcher");
    }

    /** A parameter name as the client sent it, cut short and without control characters, for the answer. */
    private static String shown(String name) {
        String clean = name.codePoints()
                .limit(40)
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return clean.isEmpty() ? "(empty name)" : clean;
    }
}
