package dispatch.incident;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changes to incidents that other features decide on (the Tracker reconcile). Every change bumps
 * {@code incident.updated_at} and {@code version}; every method reports whether it changed anything, so a repeated
 * call is a no-op. Each method is its own transaction unless the caller already runs one.
 */
@Service
public class Incidents {

    /** What {@link #assign} did. */
    public enum Assignment {
        CHANGED,
        UNCHANGED,
        /** The login is not an active dispatcher: nothing changed. */
        NOT_A_DISPATCHER
    }

    private final JdbcClient jdbc;
    private final IncidentStore store;
    private final IncidentViews views;
    private final IncidentProperties settings;
    private final JsonMapper json;

    Incidents(JdbcClient jdbc, IncidentStore store, IncidentViews views, IncidentProperties settings, JsonMapper json) {
        this.jdbc = jdbc;
        this.store = store;
        this.views = views;
        this.settings = settings;
        this.json = json;
    }

    public Optional<Incident> byId(long id) {
        return views.byId(id);
    }

    /** The incident mirrored by this Tracker issue (the key compared case-insensitively). */
    public Optional<Incident> byTrackerKey(String key) {
        return views.byTrackerKey(key);
    }

    /** Records the issue that mirrors the incident; false when the incident already has another key. */
    @Transactional
    public boolean linkIssue(long id, String key) {
        return jdbc.sql("""
                        update incident set tracker_key = :key, updated_at = now()
                         where id = :id and (tracker_key is null or tracker_key = :key)
                        """).param("id", id).param("key", key).update() == 1;
    }

    /**
     * The incident of an issue created by hand in Tracker: opened once (registration {@code MANUAL}, SLA start =
     * the issue's creation, history {@link IncidentStatus#NEW}), found by its key on every later call.
     */
    @Transactional
    public long openManual(String trackerKey, Instant createdAt, @Nullable String summary) {
        Optional<Long> opened = store.openManual(settings.codePrefix(), trackerKey, createdAt, summary);
        if (opened.isPresent()) {
            store.addStatus(opened.get(), IncidentStatus.NEW, "Заявка была заведена через YandexTracker");
            return opened.get();
        }
        return jdbc.sql("select id from incident where tracker_key = :key")
                .param("key", trackerKey)
                .query(Long.class)
                .single();
    }

    /** Finishes an open incident at {@code at} and records {@code status} unless it is already the latest. */
    @Transactional
    public boolean finish(long id, Instant at, IncidentStatus status) {
        int finished =
                jdbc.sql("""
                        update incident set finished_at = :at, updated_at = now(), version = version + 1
                        where id = :id and finished_at is null
                        """).param("id", id).param("at", Timestamp.from(at)).update();
        return addStatus(id, status, null) | finished == 1;
    }

    /** Reopens a finished incident (finish time cleared), recorded as {@link IncidentStatus#IN_WORK} with {@code comment}. */
    @Transactional
    public boolean reopen(long id, String comment) {
        int reopened = jdbc.sql("""
                        update incident set finished_at = null, updated_at = now(), version = version + 1
                        where id = :id and finished_at is not null
                        """).param("id", id).update();
        if (reopened == 0) return false;
        store.addStatus(id, IncidentStatus.IN_WORK, comment);
        return true;
    }

    /** Sets the type by name (null clears it); false when unchanged or the name is not a type. */
    @Transactional
    public boolean setType(long id, @Nullable String typeName) {
        return jdbc.sql("""
                        update incident i set type_id = t.id, updated_at = now(), version = version + 1
                        from (select (select id from incident_type where name = :name) as id) t
                        where i.id = :incident and i.type_id is distinct from t.id
                          and (cast(:name as text) is null or t.id is not null)
                        """).param("incident", id).param("name", typeName).update() == 1;
    }

    /** The names of the incident types, the values of Tracker's type field. */
    public List<String> typeNames() {
        return jdbc.sql("select name from incident_type order by id")
                .query(String.class)
                .list();
    }

    /** Sets pole and base station (either may be null); false when both are unchanged. */
    @Transactional
    public boolean setLocation(long id, @Nullable Long poleId, @Nullable Long baseStationId) {
        return jdbc.sql("""
                        update incident set pole_id = :pole, base_station_id = :bs, location_note = null,
                            updated_at = now(), version = version + 1
                        where id = :id and (pole_id is distinct from :pole or base_station_id is distinct from :bs)
                        """)
                        .param("id", id)
                        .param("pole", poleId)
                        .param("bs", baseStationId)
                        .update()
                == 1;
    }

    /** Assigns the active dispatcher with this Tracker login, or nobody for null. */
    @Transactional
    public Assignment assign(long id, @Nullable String login) {
        Long dispatcher = null;
        if (login != null) {
            Optional<Long> found = jdbc.sql("select id from dispatcher where login = :login and active")
                    .param("login", login)
                    .query(Long.class)
                    .optional();
            if (found.isEmpty()) return Assignment.NOT_A_DISPATCHER;
            dispatcher = found.get();
        }
        int changed =
                jdbc.sql("""
                        update incident set dispatcher_id = :dispatcher, updated_at = now(), version = version + 1
                        where id = :id and dispatcher_id is distinct from :dispatcher
                        """).param("id", id).param("dispatcher", dispatcher).update();
        return changed == 1 ? Assignment.CHANGED : Assignment.UNCHANGED;
    }

    /** Adds a status history row unless {@code status} is already the latest status (no repeated rows). */
    @Transactional
    public boolean addStatus(long id, IncidentStatus status, @Nullable String comment) {
        if (store.latestStatus(id).filter(status::equals).isPresent()) return false;
        store.addStatus(id, status, comment);
        touch(id);
        return true;
    }

    /** The latest status history entry. */
    public Optional<IncidentStatus> latestStatus(long id) {
        return store.latestStatus(id);
    }

    /** Records an event that explains the incident's life (kind e.g. {@code ASSIGNEE_NOT_A_DISPATCHER}). */
    @Transactional
    public void recordEvent(long id, String kind, Map<String, ?> detail) {
        store.recordEvent(id, kind, json.writeValueAsString(detail));
        touch(id);
    }

    /** Deletes the events of this kind about the mail with this Message-ID ({@code detail.messageId}). */
    @Transactional
    public void forgetEvents(long id, String kind, String messageId) {
        jdbc.sql("""
                        delete from incident_event
                        where incident_id = :incident and kind = :kind and detail ->> 'messageId' = :id
                        """)
                .param("incident", id)
                .param("kind", kind)
                .param("id", messageId)
                .update();
    }

    /** The detail of the newest event of this kind, as JSON text. */
    public Optional<String> latestEvent(long id, String kind) {
        return jdbc.sql("""
                        select detail::text from incident_event where incident_id = :id and kind = :kind
                        order by at desc, id desc limit 1
                        """)
                .param("id", id)
                .param("kind", kind)
                .query(String.class)
                .optional();
    }

    private void touch(long id) {
        jdbc.sql("update incident set updated_at = now(), version = version + 1 where id = :id")
                .param("id", id)
                .update();
    }
}
