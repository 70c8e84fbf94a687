package dispatch.api;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SLA statistics (decision 0028): one statement per request over {@code incident_report}, the rows the incidents report
 * reads, after the same refresh of stale rows, so both reports agree. Every group and the total come from one pass:
 * the grouping sets of the chosen column and of nothing.
 */
@Repository
class SlaReports {

    /**
     * {@code %1$s} is the grouping column, from {@link SlaReportQuery.GroupBy}. Met: finished by the deadline in
     * effect; breached: finished after it, or still open and past it; an open incident before its deadline, or whose
     * SLA clock stands still (no deadline in effect), is neither. The percentiles skip open incidents, whose time to
     * finish is null.
     */
    private static final String SQL = """
            select r.%1$s as grp, grouping(r.%1$s) = 1 as total,
                   count(*) as incidents,
                   count(r.finished_at) as finished,
                   count(*) filter (where r.finished_at <= r.sla_deadline) as met,
                   count(*) filter (where coalesce(r.finished_at, :now) > r.sla_deadline) as breached,
                   count(*) filter (where r.sla_minutes is null) as without_sla,
                   extract(epoch from percentile_cont(0.5) within group (order by r.finished_at - r.incident_at))::float8
                       / 60 as median_minutes,
                   extract(epoch from percentile_cont(0.9) within group (order by r.finished_at - r.incident_at))::float8
                       / 60 as p90_minutes,
                   count(r.handed_over_at) as handed_over,
                   count(*) filter (where r.vendor_finished_at <= r.vendor_deadline) as contractor_met,
                   count(*) filter (where coalesce(r.vendor_finished_at, :now) > r.vendor_deadline)
                       as contractor_breached
            from incident_report r
            where r.incident_at >= :start and r.incident_at < :end
            group by grouping sets ((r.%1$s), ())
            order by grouping(r.%1$s), r.%1$s collate "C" nulls last
            """;

    private final JdbcClient jdbc;
    private final IncidentReports rows;

    SlaReports(JdbcClient jdbc, IncidentReports rows) {
        this.jdbc = jdbc;
        this.rows = rows;
    }

    /** The groups in name order (the one without a name last), then the total; {@code now} decides open breaches. */
    List<SlaRow> statistics(SlaReportQuery query, Instant now) {
        rows.refreshStale();
        return jdbc.sql(sql(query.groupBy()))
                .param("start", utc(query.start()))
                .param("end", utc(query.end()))
                .param("now", utc(now))
                .query((rs, n) -> row(rs))
                .list();
    }

    static String sql(SlaReportQuery.GroupBy groupBy) {
        return SQL.formatted(groupBy.column());
    }

    private static SlaRow row(ResultSet rs) throws SQLException {
        return new SlaRow(
                rs.getString("grp"),
                rs.getBoolean("total"),
                rs.getLong("incidents"),
                rs.getLong("finished"),
                rs.getLong("met"),
                rs.getLong("breached"),
                rs.getLong("without_sla"),
                number(rs, "median_minutes"),
                number(rs, "p90_minutes"),
                rs.getLong("handed_over"),
                rs.getLong("contractor_met"),
                rs.getLong("contractor_breached"));
    }

    private static @Nullable Double number(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, Double.class);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
