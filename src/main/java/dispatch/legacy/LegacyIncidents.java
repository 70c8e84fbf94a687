package dispatch.legacy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Incidents with their ids, and their status history, one chunk at a time (docs/legacy-import.md "Incidents"). An
 * incident whose id or code is already taken in the target is not imported and is reported; its history is skipped.
 */
final class LegacyIncidents {

    private record Row(
            long id,
            Timestamp created,
            Timestamp updated,
            Timestamp incidentAt,
            @Nullable Timestamp finishedAt,
            boolean auto,
            @Nullable String trackerKey,
            @Nullable String typeName,
            @Nullable Long poleId,
            @Nullable Long baseStationId,
            @Nullable String dispatcher) {}

    private static final String SELECT = """
            select i.id, i.insert_date, i.update_date, i.incident_date, i.is_incident_finish, i.incident_finish_date,
                   i.is_auto_incident, i.code, t.name as type_name, p.pole as pole_code, p.site_id::bigint as pole_site,
                   b.bs_name, bp.pole as bs_pole_code, bp.site_id::bigint as bs_pole_site, u.username
              from incidents_incident i
              left join incidents_incidenttype t on t.id = i.incident_type_id
              left join ts_pole p on p.id = i.pole_id
              left join ts_basestation b on b.id = i.base_station_id
              left join ts_pole bp on bp.id = b.pole_id
              left join users_user u on u.id = i.responsible_user_id
             where i.id > ? order by i.id limit ?
            """;

    private static final String INSERT = """
            insert into incident (id, code, tracker_key, type_id, pole_id, base_station_id, dispatcher_id, incident_at,
                finished_at, registration_method, created_at, updated_at, imported_at)
            overriding system value
            values (?, ?, ?, (select id from incident_type where name = ?), ?, ?,
                (select id from dispatcher where login = ?), ?, ?, ?, ?, ?, now())
            on conflict do nothing
            """;

    private final JdbcTemplate source;
    private final JdbcTemplate target;
    private final Locations locations;
    private final Set<String> typeNames;
    private final String codePrefix;
    private final ImportReport report;

    LegacyIncidents(JdbcTemplate source, JdbcTemplate target, String codePrefix, ImportReport report) {
        this.source = source;
        this.target = target;
        this.codePrefix = codePrefix;
        this.report = report;
        this.locations = new Locations(target);
        this.typeNames = new HashSet<>(target.queryForList("select name from incident_type", String.class));
    }

    /** Imports the incidents after {@code after} (at most {@code size}); returns the last id read, or -1 if none. */
    long chunk(long after, int size) {
        List<Row> rows = source.query(SELECT, this::row, after, size);
        if (rows.isEmpty()) return -1;
        Set<String> keys = new HashSet<>();
        List<Object[]> inserts = new ArrayList<>();
        for (Row r : rows) {
            String key = r.trackerKey();
            if (key != null && (!keys.add(key.toUpperCase()) || keyTaken(key))) {
                report.unmapped("Tracker key already used by another incident: kept without it", r.id() + " " + key);
                key = null;
            }
            inserts.add(new Object[] {
                r.id(),
                codePrefix + "-" + r.id(),
                key,
                r.typeName(),
                r.poleId(),
                r.baseStationId(),
                r.dispatcher(),
                r.incidentAt(),
                r.finishedAt(),
                r.auto() ? "EMAIL" : "MANUAL",
                r.created(),
                r.updated()
            });
        }
        int[] inserted = target.batchUpdate(INSERT, inserts);
        List<Long> imported = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (inserted[i] == 1) {
                imported.add(rows.get(i).id());
            } else {
                report.unmapped(
                        "incident id or code already taken in the target: not imported",
                        "" + rows.get(i).id());
            }
        }
        report.count("incidents read", rows.size());
        report.count("incidents imported", imported.size());
        history(imported);
        return rows.get(rows.size() - 1).id();
    }

    private boolean keyTaken(String key) {
        return Boolean.TRUE.equals(target.queryForObject(
                "select exists (select 1 from incident where upper(tracker_key) = upper(?))", Boolean.class, key));
    }

    private void history(List<Long> incidents) {
        if (incidents.isEmpty()) return;
        Set<String> statuses = new HashSet<>(target.queryForList("select name from incident_status", String.class));
        Set<Long> wanted = new HashSet<>(incidents);
        List<Object[]> rows = new ArrayList<>();
        source.query(
                """
                select h.incident_id, s.name, h.insert_date, h.comments
                  from incidents_incidentstatushistory h join incidents_incidentstatus s on s.id = h.status_id
                 where h.incident_id between ? and ? order by h.incident_id, h.insert_date, h.id
                """,
                rs -> {
                    if (!wanted.contains(rs.getLong(1))) return;
                    String status = rs.getString("name");
                    if (!statuses.contains(status)) {
                        report.unmapped("status unknown here: history row skipped", rs.getLong(1) + " " + status);
                        return;
                    }
                    rows.add(new Object[] {rs.getLong(1), rs.getTimestamp(3), rs.getString(4), status});
                },
                incidents.get(0),
                incidents.get(incidents.size() - 1));
        target.batchUpdate("""
                insert into incident_status_history (incident_id, at, comment, status_id)
                select ?, ?, ?, id from incident_status where name = ?
                """, rows);
        report.count("status history rows", rows.size());
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        String type = rs.getString("type_name");
        if (type != null && !typeNames.contains(type)) {
            report.unmapped("incident type unknown here: kept without type", id + " " + type);
            type = null;
        }
        Long pole = locations.pole(rs.getString("pole_code"), rs.getObject("pole_site", Long.class), id, report);
        Long bsPole = rs.getString("bs_pole_code") == null
                ? pole
                : locations.pole(rs.getString("bs_pole_code"), rs.getObject("bs_pole_site", Long.class), id, report);
        Long station = locations.baseStation(bsPole, rs.getString("bs_name"), id, report);
        if (station != null && pole == null) pole = bsPole;
        Timestamp finished = rs.getTimestamp("incident_finish_date");
        boolean done = rs.getBoolean("is_incident_finish");
        return new Row(
                id,
                rs.getTimestamp("insert_date"),
                rs.getTimestamp("update_date"),
                rs.getTimestamp("incident_date"),
                done ? (finished != null ? finished : rs.getTimestamp("update_date")) : null,
                rs.getBoolean("is_auto_incident"),
                blankToNull(rs.getString("code")),
                type,
                pole,
                station,
                rs.getString("username"));
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
