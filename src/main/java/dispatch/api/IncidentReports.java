package dispatch.api;

import dispatch.incident.RegistrationMethod;
import dispatch.sla.Sla;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The report read model: one SQL statement per request, after one that refreshes stale rows. A materialised CTE holds
 * the matched rows of {@code incident_report}; the first row also carries the total and a fingerprint of all matched
 * rows (for the ETag), then the requested page follows, read through a cursor so memory stays flat.
 */
@Repository
class IncidentReports {

    private static final Logger log = LoggerFactory.getLogger(IncidentReports.class);
    private static final int FETCH_SIZE = 500;

    /**
     * Everything shown comes from {@code incident_report}, one row per incident (migration V7), so a report joins
     * nothing. Writers' triggers mark rows stale; {@link #refreshStale} recomputes them (V8).
     */
    private static final String COLUMNS = """
            r.incident_id as id, r.version, r.code, r.tracker_key, r.incident_at, r.finished_at, r.registration_method,
            r.type_name, r.sla_minutes, r.last_status, r.handed_over_at, r.vendor_finished_at, r.base_station,
            r.operator_group, r.operators, r.pole, r.region_ru, r.address, r.latitude, r.longitude, r.vendor,
            r.vendor_emails, r.dispatcher, r.sla_deadline, r.sla_paused""";

    /**
     * Total, fingerprint and "time phase" of all matched rows. Each change of a row gives it a new version, so the
     * versions' hashes summed fingerprint the rows' content. The phase counts the SLA boundaries (an hour before the
     * deadline, the deadline, the contractor's deadline) that lie behind {@code :now}: with the same rows, the
     * now-dependent fields ({@code sla_status}, {@code is_vendor_sla_expired}) differ between two moments exactly when
     * the phase does. It mirrors {@link Sla#status}: less than an hour when {@code deadline - 1h <= now}, expired when
     * {@code deadline < now}, with the deadline in effect the row carries (V85; a pause changes the row's version).
     */
    private static final String SUMMARY = """
            select count(*) as total,
                   coalesce(sum(hashint8extended(version, 0)), 0) as fingerprint,
                   count(*) filter (where finished_at is null
                       and sla_deadline - :warningMinutes * interval '1 minute' <= :now)
                   + count(*) filter (where finished_at is null and sla_deadline < :now)
                   + count(*) filter (where vendor_finished_at is null
                       and handed_over_at + sla_minutes * interval '1 minute' < :now) as phase
            from matched
            """;

    /** What is known before the first row: answers the ETag and {@code X-Total-Count}. */
    record Summary(long total, String fingerprint, long phase) {}

    /** Receives the summary, then (unless it declined them) the rows in order. */
    interface Consumer {
        /** Returns false to skip the rows (e.g. the client's copy is current). */
        boolean start(Summary summary) throws IOException;

        void row(ReportRow row) throws IOException;
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;

    IncidentReports(JdbcClient jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
    }

    /**
     * Recomputes the report rows that writers marked stale since the last refresh; returns how many. Runs before every
     * read, in a transaction of its own so the read sees it, and every few seconds, so a read finds little left to do
     * even after an import touched thousands of incidents.
     */
    public int refreshStale() {
        return jdbc.sql("select incident_report_refresh_stale()")
                .query(Integer.class)
                .single();
    }

    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    void refreshStaleRegularly() {
        try {
            refreshStale();
        } catch (DataAccessException e) {
            log.warn("Refreshing stale report rows failed (reads refresh them too): {}", e.toString());
        }
    }

    /** Runs the report; {@code now} must have microsecond precision at most (the database's). */
    void stream(ReportQuery query, Instant now, Consumer consumer) {
        refreshStale();
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = sql(query, now, params);
        readOnly.executeWithoutResult(
                status -> jdbc.sql(sql).params(params).withFetchSize(FETCH_SIZE).query((ResultSet rs) -> {
                    read(rs, consumer);
                    return Boolean.TRUE; // JdbcClient wants a result
                }));
    }

    /** The statement for {@code query}; fills {@code params}. */
    static String sql(ReportQuery query, Instant now, Map<String, Object> params) {
        params.put("warningMinutes", Sla.WARNING.toMinutes());
        params.put("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        return "with matched as materialized (select " + COLUMNS + " from incident_report r\n" + where(query, params)
                + ")\n"
                + "select s.*, m.* from (" + SUMMARY + ") s\n"
                + "left join lateral (select * from matched order by incident_at desc, id desc"
                + (query.limit() == null ? "" : " limit " + query.limit())
                + (query.offset() == 0 ? "" : " offset " + query.offset())
                + ") m on true";
    }

    private static String where(ReportQuery q, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>();
        if (q.from() != null) {
            conditions.add("r.incident_at >= :from");
            params.put("from", OffsetDateTime.ofInstant(q.from(), ZoneOffset.UTC));
        }
        if (q.until() != null) {
            conditions.add("r.incident_at < :until");
            params.put("until", OffsetDateTime.ofInstant(q.until(), ZoneOffset.UTC));
        }
        if (q.updatedSince() != null) {
            // A status change counts as an update: other features record it in the history, not in updated_at.
            conditions.add("exists (select 1 from incident i where i.id = r.incident_id and (i.updated_at >= :since"
                    + " or exists (select 1 from incident_status_history x where x.incident_id = i.id"
                    + " and x.at >= :since)))");
            params.put("since", OffsetDateTime.ofInstant(q.updatedSince(), ZoneOffset.UTC));
        }
        if (q.finished() != null) {
            conditions.add(q.finished() ? "r.finished_at is not null" : "r.finished_at is null");
        }
        if (q.code() != null) {
            // by incident's indexes on upper(code) and upper(tracker_key)
            conditions.add("r.incident_id in (select i.id from incident i"
                    + " where upper(i.code) = upper(:code) or upper(i.tracker_key) = upper(:code))");
            params.put("code", q.code());
        }
        if (q.id() != null) {
            conditions.add("r.incident_id = :id");
            params.put("id", q.id());
        }
        return conditions.isEmpty() ? "" : "where " + String.join("\n  and ", conditions) + "\n";
    }

    private static void read(ResultSet rs, Consumer consumer) throws SQLException {
        try {
            if (!rs.next()) return; // never: the summary is always one row
            Summary summary = new Summary(rs.getLong("total"), rs.getString("fingerprint"), rs.getLong("phase"));
            if (!consumer.start(summary)) return;
            do {
                if (rs.getObject("id") != null) consumer.row(row(rs));
            } while (rs.next());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static @Nullable RegistrationMethod registration(@Nullable String name) {
        return name == null ? null : RegistrationMethod.valueOf(name);
    }

    private static ReportRow row(ResultSet rs) throws SQLException {
        String lastStatus = rs.getString("last_status");
        return new ReportRow(
                rs.getLong("id"),
                rs.getString("code"),
                rs.getString("tracker_key"),
                instant(rs, "incident_at"),
                instant(rs, "finished_at"),
                registration(rs.getString("registration_method")),
                rs.getString("type_name"),
                rs.getObject("sla_minutes", Integer.class),
                lastStatus,
                lastStatus != null,
                instant(rs, "handed_over_at"),
                instant(rs, "vendor_finished_at"),
                rs.getString("base_station"),
                rs.getString("operator_group"),
                rs.getString("operators"),
                rs.getString("pole"),
                rs.getString("region_ru"),
                rs.getString("address"),
                rs.getObject("latitude", Double.class),
                rs.getObject("longitude", Double.class),
                rs.getString("vendor"),
                rs.getString("vendor_emails"),
                rs.getString("dispatcher"),
                instant(rs, "sla_deadline"),
                rs.getBoolean("sla_paused"));
    }

    private static @Nullable Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
