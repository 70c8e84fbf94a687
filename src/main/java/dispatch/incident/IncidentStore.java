package dispatch.incident;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Incident rows, their status history and their event log. */
@Repository
class IncidentStore {

    /** The parts of an incident threading decides on. */
    record IncidentRef(long id, String code, String trackerKey, Instant createdAt, Instant finishedAt) {

        boolean open() {
            return finishedAt == null;
        }
    }

    private static final String SELECT = "select id, code, tracker_key, created_at, finished_at from incident";

    private final JdbcClient jdbc;

    IncidentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<IncidentRef> byId(long id) {
        return jdbc.sql(SELECT + " where id = :id")
                .param("id", id)
                .query(IncidentStore::row)
                .optional();
    }

    /** An incident by our code ({@code INC-1042}) or its Tracker key ({@code DISPATCH-17}), case-insensitive. */
    Optional<IncidentRef> byCode(String code) {
        return jdbc.sql(SELECT + " where upper(code) = upper(:c) or upper(tracker_key) = upper(:c) order by id limit 1")
                .param("c", code)
                .query(IncidentStore::row)
                .optional();
    }

    IncidentRef open(String codePrefix, Instant incidentAt, String summary, Long continues, Long dispatcherId) {
        long number = jdbc.sql("select nextval('incident_code_seq')")
                .query(Long.class)
                .single();
        long id = jdbc.sql("""
                        insert into incident (code, incident_at, summary, registration_method, continues_incident_id,
                            dispatcher_id)
                        values (:code, :at, :summary, 'EMAIL', :continues, :dispatcher)
                        returning id
                        """)
                .param("code", codePrefix + "-" + number)
                .param("at", Timestamp.from(incidentAt))
                .param("summary", summary)
                .param("continues", continues)
                .param("dispatcher", dispatcherId)
                .query(Long.class)
                .single();
        addStatus(id, "Новый", null);
        return byId(id).orElseThrow();
    }

    /** Opens an incident for an issue created by hand in Tracker; empty when one already has this key. */
    Optional<Long> openManual(String codePrefix, String trackerKey, Instant incidentAt, String summary) {
        long number = jdbc.sql("select nextval('incident_code_seq')")
                .query(Long.class)
                .single();
        return jdbc.sql("""
                        insert into incident (code, tracker_key, incident_at, summary, registration_method)
                        values (:code, :key, :at, :summary, 'MANUAL')
                        on conflict (tracker_key) do nothing
                        returning id
                        """)
                .param("code", codePrefix + "-" + number)
                .param("key", trackerKey)
                .param("at", Timestamp.from(incidentAt))
                .param("summary", summary)
                .query(Long.class)
                .optional();
    }

    /** The name of the newest status history row. */
    Optional<String> latestStatus(long incidentId) {
        return jdbc.sql("""
                        select s.name from incident_status_history h join incident_status s on s.id = h.status_id
                        where h.incident_id = :id order by h.at desc, h.id desc limit 1
                        """).param("id", incidentId).query(String.class).optional();
    }

    void addStatus(long incidentId, String statusName, String comment) {
        jdbc.sql("""
                        insert into incident_status_history (incident_id, status_id, comment)
                        select :incident, s.id, :comment from incident_status s where s.name = :name
                        """)
                .param("incident", incidentId)
                .param("name", statusName)
                .param("comment", comment)
                .update();
    }

    /** Fills pole and base station only where empty: a value a dispatcher set is never overwritten. */
    void fillLocation(long incidentId, LocationExtractor.Location location) {
        jdbc.sql("""
                        update incident set
                            pole_id = coalesce(pole_id, :pole),
                            base_station_id = case when pole_id is null or pole_id = :pole
                                                   then coalesce(base_station_id, :bs) else base_station_id end,
                            location_note = case when pole_id is null then :note else location_note end,
                            updated_at = now()
                        where id = :id and (pole_id is null or base_station_id is null)
                        """)
                .param("pole", location.poleId())
                .param("bs", location.baseStationId())
                .param("note", location.note())
                .param("id", incidentId)
                .update();
    }

    boolean hasPole(long incidentId) {
        return jdbc.sql("select pole_id is not null from incident where id = :id")
                .param("id", incidentId)
                .query(Boolean.class)
                .single();
    }

    void markNewMessage(long incidentId) {
        jdbc.sql("update incident set new_message = true, updated_at = now(), version = version + 1 where id = :id")
                .param("id", incidentId)
                .update();
    }

    void recordEvent(long incidentId, String kind, String detailJson) {
        jdbc.sql("insert into incident_event (incident_id, kind, detail) values (:id, :kind, cast(:detail as jsonb))")
                .param("id", incidentId)
                .param("kind", kind)
                .param("detail", detailJson)
                .update();
    }

    /** Serialises threading across threads and instances for the rest of the transaction. */
    void lockThreading() {
        jdbc.sql("select pg_advisory_xact_lock(7262001)").query(Object.class).single();
    }

    private static IncidentRef row(ResultSet rs, int i) throws SQLException {
        Timestamp finished = rs.getTimestamp(5);
        return new IncidentRef(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getTimestamp(4).toInstant(),
                finished == null ? null : finished.toInstant());
    }
}
