package dispatch.incident;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
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
    private final SlaClocks slaClocks;

    Incidents(
            JdbcClient jdbc,
            IncidentStore store,
            IncidentViews views,
            IncidentProperties settings,
            JsonMapper json,
            SlaClocks slaClocks) {
        this.jdbc = jdbc;
        this.store = store;
        this.views = views;
        this.settings = settings;
        this.json = json;
        this.slaClocks = slaClocks;
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
        return idByTrackerKey(trackerKey);
    }

    /**
     * The incident of an open issue that predates this installation and names no incident known here (decision
     * 0021): opened once like a manual one, SLA start as the issue shows it, history {@code Новый} with a note of the
     * issue's old database id, and an {@code ADOPTED} event; found by its key on every later call.
     */
    @Transactional
    public long adopt(String trackerKey, Instant incidentAt, @Nullable String summary, String oldDatabaseId) {
        Optional<Long> opened = store.openManual(settings.codePrefix(), trackerKey, incidentAt, summary);
        if (opened.isEmpty()) return idByTrackerKey(trackerKey);
        long id = opened.get();
        store.addStatus(
                id,
                IncidentStatus.NEW,
                "Задача " + trackerKey + " создана до запуска Dispatch (прежний номер " + oldDatabaseId
                        + "); принята как инцидент");
        store.recordEvent(
                id,
                IncidentEventKind.ADOPTED,
                json.writeValueAsString(Map.of("issue", trackerKey, "oldDatabaseId", oldDatabaseId)));
        return id;
    }

    private long idByTrackerKey(String trackerKey) {
        return jdbc.sql("select id from incident where tracker_key = :key")
                .param("key", trackerKey)
                .query(Long.class)
                .single();
    }

    /**
     * Finishes an open incident at {@code at} (Tracker's resolution time) and records {@code status}, at that Tracker
     * time, unless it is already the latest.
     */
    @Transactional
    public boolean finish(long id, Instant at, IncidentStatus status) {
        int finished =
                jdbc.sql("""
                        update incident set finished_at = :at, updated_at = now(), version = version + 1
                        where id = :id and finished_at is null
                        """).param("id", id).param("at", Timestamp.from(at)).update();
        boolean clock = finished == 1 && (slaClocks.resume(id, at) | slaClocks.refresh(id));
        return addStatus(id, status, null, at) | finished == 1 | clock;
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
        slaClocks.refresh(id);
        return true;
    }

    /** Sets the type by name (null clears it); false when unchanged or the name is not a type. */
    @Transactional
    public boolean setType(long id, @Nullable String typeName) {
        boolean set =
                jdbc.sql("""
                        update incident i set type_id = t.id, updated_at = now(), version = version + 1
                        from (select (select id from incident_type where name = :name) as id) t
                        where i.id = :incident and i.type_id is distinct from t.id
                          and (cast(:name as text) is null or t.id is not null)
                        """).param("incident", id).param("name", typeName).update() == 1;
        if (set) slaClocks.refresh(id);
        return set;
    }

    /**
     * The issue is in Tracker status {@code statusKey} since {@code since} (Tracker's time): the SLA clock pauses in
     * the type's pause statuses and runs again when the issue leaves them (docs/sla.md, "SLA clock"); the deadline is
     * computed again. True when anything changed.
     */
    @Transactional
    public boolean trackerStatus(long id, String statusKey, Instant since) {
        return slaClocks.trackerStatus(id, statusKey, since);
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

    /** The logins of the configured (active) dispatchers. */
    public List<String> dispatcherLogins() {
        return jdbc.sql("select login from dispatcher where active order by login")
                .query(String.class)
                .list();
    }

    /**
     * Records which configured dispatchers Tracker does not know (docs/dispatchers.md): they get no new incidents until
     * Tracker knows them again. Returns whether anything changed.
     */
    @Transactional
    public boolean setUnknownDispatchers(Collection<String> unknownLogins) {
        return jdbc.sql("""
                        update dispatcher set known_in_tracker = not (login = any(:unknown))
                        where known_in_tracker is distinct from not (login = any(:unknown))
                        """)
                        .param("unknown", unknownLogins.toArray(String[]::new))
                        .update()
                > 0;
    }

    /** Adds a status history row unless {@code status} is already the latest status (no repeated rows). */
    @Transactional
    public boolean addStatus(long id, IncidentStatus status, @Nullable String comment) {
        return addStatus(id, status, comment, null);
    }

    /**
     * {@link #addStatus(long, IncidentStatus, String)} with the time the status began in Tracker, which the reports show for
     * the contractor's hand-over and finish instead of the time Dispatch recorded it (docs/sla.md).
     */
    @Transactional
    public boolean addStatus(long id, IncidentStatus status, @Nullable String comment, @Nullable Instant trackerAt) {
        if (store.latestStatus(id).filter(status::equals).isPresent()) return false;
        store.addStatus(id, status, comment, trackerAt);
        touch(id);
        return true;
    }

    /** The latest status history entry. */
    public Optional<IncidentStatus> latestStatus(long id) {
        return store.latestStatus(id);
    }

    /** Records an event that explains the incident's life (e.g. {@link IncidentEventKind#ASSIGNEE_NOT_A_DISPATCHER}). */
    @Transactional
    public void recordEvent(long id, IncidentEventKind kind, Map<String, ?> detail) {
        store.recordEvent(id, kind, json.writeValueAsString(detail));
        touch(id);
    }

    /** How many events of this kind the incident has. */
    public int eventCount(long id, IncidentEventKind kind) {
        return jdbc.sql("select count(*) from incident_event where incident_id = :id and kind = :kind")
                .param("id", id)
                .param("kind", kind.name())
                .query(Integer.class)
                .single();
    }

    /** Deletes the events of this kind about the mail with this Message-ID ({@code detail.messageId}). */
    @Transactional
    public void forgetEvents(long id, IncidentEventKind kind, String messageId) {
        jdbc.sql("""
                        delete from incident_event
                        where incident_id = :incident and kind = :kind and detail ->> 'messageId' = :id
                        """)
                .param("incident", id)
                .param("kind", kind.name())
                .param("id", messageId)
                .update();
    }

    /** The detail of the newest event of this kind, as JSON text. */
    public Optional<String> latestEvent(long id, IncidentEventKind kind) {
        return jdbc.sql("""
                        select detail::text from incident_event where incident_id = :id and kind = :kind
                        order by at desc, id desc limit 1
                        """)
                .param("id", id)
                .param("kind", kind.name())
                .query(String.class)
                .optional();
    }

    private void touch(long id) {
        jdbc.sql("update incident set updated_at = now(), version = version + 1 where id = :id")
                .param("id", id)
                .update();
    }
}
