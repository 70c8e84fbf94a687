package dispatch.incident;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads {@link Incident}s: the incident with its type, pole, base station, contractor, operators and dispatcher. */
@Repository
class IncidentViews {

    private static final String SELECT = """
            select i.id, i.code, i.tracker_key, i.summary, i.incident_at, i.finished_at, i.registration_method,
                   i.new_message, i.reopened_closure_at, i.imported_at is not null as imported, i.sla_deadline,
                   i.sla_paused, t.name as type_name, t.description as type_description, t.sla_minutes,
                   p.id as pole_id, p.code as pole_code, p.region as pole_region, b.id as bs_id,
                   b.name as bs_name, c.name as contractor, d.login,
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

    IncidentViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Incident> byId(long id) {
        return jdbc.sql(SELECT + " where i.id = :id")
                .param("id", id)
                .query(IncidentViews::row)
                .optional();
    }

    Optional<Incident> byTrackerKey(String key) {
        return jdbc.sql(SELECT + " where upper(i.tracker_key) = upper(:key)")
                .param("key", key)
                .query(IncidentViews::row)
                .optional();
    }

    private static Incident row(ResultSet rs, int n) throws SQLException {
        return new Incident(
                rs.getLong("id"),
                rs.getString("code"),
                rs.getString("tracker_key"),
                rs.getString("summary"),
                instant(rs.getTimestamp("incident_at")),
                instant(rs.getTimestamp("finished_at")),
                RegistrationMethod.valueOf(rs.getString("registration_method")),
                rs.getBoolean("new_message"),
                rs.getString("type_name"),
                rs.getString("type_description"),
                rs.getObject("sla_minutes", Integer.class),
                rs.getObject("pole_id", Long.class),
                rs.getString("pole_code"),
                rs.getString("pole_region"),
                rs.getObject("bs_id", Long.class),
                rs.getString("bs_name"),
                rs.getString("contractor"),
                rs.getString("operators"),
                rs.getString("login"),
                instant(rs.getTimestamp("reopened_closure_at")),
                rs.getBoolean("imported"),
                instant(rs.getTimestamp("sla_deadline")),
                rs.getBoolean("sla_paused"));
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
