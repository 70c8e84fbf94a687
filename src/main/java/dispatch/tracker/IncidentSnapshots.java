package dispatch.tracker;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads {@link IncidentSnapshot}s (a read model over the incident, type, pole, base station, contractor, operator and
 * dispatcher tables). The tracker feature also owns the Tracker columns: {@code incident.tracker_key},
 * {@code email_message.tracker_comment_id} and {@code email_attachment.tracker_attachment_id}.
 */
@Repository
class IncidentSnapshots {

    private static final String SELECT = """
            select i.id, i.code, i.tracker_key, i.summary, i.incident_at, i.finished_at, i.registration_method,
                   i.new_message, i.imported_at is not null as imported, t.name as type_name, t.sla_minutes, p.id as pole_id, p.code as pole_code,
                   p.region as pole_region, b.id as bs_id, b.name as bs_name, c.name as contractor, d.login,
                   (select string_agg(o.name, ', ' order by o.name)
                      from base_station_operator bo join operator o on o.id = bo.operator_id
                     where bo.base_station_id = b.id) as operators
              from incident i
              left join incident_type t on t.id = i.type_id
              left join pole p on p.id = i.pole_id
              left join contractor c on c.id = p.contractor_id
              left join base_station b on b.id = i.base_station_id
              left join dispatcher d on d.id = i.dispatcher_id
            """;

    private final JdbcClient jdbc;

    IncidentSnapshots(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<IncidentSnapshot> byId(long id) {
        return jdbc.sql(SELECT + " where i.id = :id")
                .param("id", id)
                .query(IncidentSnapshots::row)
                .optional();
    }

    Optional<IncidentSnapshot> byTrackerKey(String key) {
        return jdbc.sql(SELECT + " where upper(i.tracker_key) = upper(:key)")
                .param("key", key)
                .query(IncidentSnapshots::row)
                .optional();
    }

    /** Tracker keys of the incidents that are open in the database. */
    List<String> openTrackerKeys() {
        return jdbc.sql("select tracker_key from incident where finished_at is null and tracker_key is not null")
                .query(String.class)
                .list();
    }

    /**
     * Tracker keys of open incidents whose SLA status changes by itself (when less than {@code warning} is left, and
     * just after the deadline) in {@code (from, to]}.
     */
    List<String> slaStatusChangedKeys(Instant from, Instant to, Duration warning) {
        return jdbc.sql("""
                        select i.tracker_key from incident i join incident_type t on t.id = i.type_id
                         where i.finished_at is null and i.tracker_key is not null and t.sla_minutes is not null
                           and exists (select 1 from (values
                                   (i.incident_at + make_interval(mins => t.sla_minutes) - make_interval(secs => :warning)),
                                   (i.incident_at + make_interval(mins => t.sla_minutes) + interval '1 millisecond')) b(at)
                                 where b.at > :from and b.at <= :to)
                        """)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("warning", warning.toSeconds())
                .query(String.class)
                .list();
    }

    /** Records the issue that mirrors the incident; false when the incident already has another key. */
    boolean linkIssue(long incidentId, String key) {
        return jdbc.sql("""
                        update incident set tracker_key = :key, updated_at = now()
                         where id = :id and (tracker_key is null or tracker_key = :key)
                        """).param("id", incidentId).param("key", key).update() == 1;
    }

    private static IncidentSnapshot row(ResultSet rs, int n) throws SQLException {
        return new IncidentSnapshot(
                rs.getLong("id"),
                rs.getString("code"),
                rs.getString("tracker_key"),
                rs.getString("summary"),
                instant(rs.getTimestamp("incident_at")),
                instant(rs.getTimestamp("finished_at")),
                "MANUAL".equals(rs.getString("registration_method")),
                rs.getBoolean("new_message"),
                rs.getString("type_name"),
                rs.getObject("sla_minutes", Integer.class),
                rs.getObject("pole_id", Long.class),
                rs.getString("pole_code"),
                rs.getString("pole_region"),
                rs.getObject("bs_id", Long.class),
                rs.getString("bs_name"),
                rs.getString("contractor"),
                rs.getString("operators"),
                rs.getString("login"),
                rs.getBoolean("imported"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
