package dispatch.incident;

import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Incident rows, their status history and their event log. */
@Repository
class IncidentStore {

    /** The parts of an incident threading decides on. */
    record IncidentRef(
            long id, String code, String trackerKey, Instant createdAt, Instant finishedAt, boolean hasPole) {

        boolean open() {
            return finishedAt == null;
        }
    }

    /** How a mail joins an incident: stored on the mail ({@code email_message.incident_id}, match method and detail). */
    record Link(long mailId, MatchMethod method, @Nullable String detail) {}

    private static final String COLUMNS = columns("incident");
    private static final String SELECT = "select " + COLUMNS + " from incident";
    private final JdbcClient jdbc;
    private final Mails mails;

    IncidentStore(JdbcClient jdbc, Mails mails) {
        this.jdbc = jdbc;
        this.mails = mails;
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

    /** Incidents by each code asked for (as asked): what {@link #byCode} finds, for several codes in one query. */
    Map<String, IncidentRef> byCodes(Collection<String> codes) {
        Map<String, IncidentRef> byCode = new HashMap<>();
        if (!codes.isEmpty()) {
            jdbc.sql("select c.code, i.* from unnest(cast(:codes as text[])) c(code) cross join lateral (" + SELECT
                            + " where upper(code) = upper(c.code) or upper(tracker_key) = upper(c.code)"
                            + " order by id limit 1) i")
                    .param("codes", codes.toArray(String[]::new))
                    .query(rs -> {
                        byCode.put(rs.getString(1), ref(rs, 2));
                    });
        }
        return byCode;
    }

    /**
     * Opens an incident with its first status ({@link IncidentStatus#NEW}), its location, its dispatcher (picked by
     * {@link DispatcherAssignment} when {@code assignment} is given), for the continuation of a closed one a
     * {@code CONTINUES} event in one statement, then the mail that opened it linked to it (when {@code link} is
     * given).
     */
    IncidentRef open(
            String codePrefix,
            Instant incidentAt,
            String summary,
            Long continues,
            DispatcherAssignment.Window assignment,
            LocationExtractor.Location location,
            @Nullable Link link) {
        IncidentRef opened = jdbc.sql("""
                        with %s,
                        opened as (
                            insert into incident (code, incident_at, summary, registration_method,
                                continues_incident_id, dispatcher_id, pole_id, base_station_id, location_note)
                            values (cast(:prefix as text) || '-' || nextval('incident_code_seq'), :at, :summary,
                                :registration, :continues, (select id from chosen), :pole, :bs, :note)
                            returning %s),
                        status as (
                            insert into incident_status_history (incident_id, status_id)
                            select o.id, s.id from opened o, incident_status s where s.name = :new),
                        continued as (
                            insert into incident_event (incident_id, kind, detail)
                            select o.id, cast(:continuesKind as text), jsonb_build_object('previous', p.code)
                            from opened o join incident p on p.id = o.continues_incident_id)
                        select * from opened
                        """.formatted(DispatcherAssignment.CHOSEN, COLUMNS + ", continues_incident_id"))
                .param("assign", assignment != null)
                .param("now", assignment == null ? null : Timestamp.from(assignment.now()))
                .param("since", assignment == null ? null : Timestamp.from(assignment.since()))
                .param("onShift", assignment == null ? null : assignment.onShift())
                .param("new", IncidentStatus.NEW.text())
                .param("registration", RegistrationMethod.EMAIL.name())
                .param("prefix", codePrefix)
                .param("at", Timestamp.from(incidentAt))
                .param("summary", summary)
                .param("continues", continues)
                .param("continuesKind", IncidentEventKind.CONTINUES.name())
                .param("pole", location.poleId())
                .param("bs", location.baseStationId())
                .param("note", location.note())
                .query(IncidentStore::row)
                .single();
        if (link != null) link(opened.id(), link);
        return opened;
    }

    /** Opens an incident for an issue created by hand in Tracker; empty when one already has this key. */
    Optional<Long> openManual(String codePrefix, String trackerKey, Instant incidentAt, String summary) {
        long number = jdbc.sql("select nextval('incident_code_seq')")
                .query(Long.class)
                .single();
        return jdbc.sql("""
                        insert into incident (code, tracker_key, incident_at, summary, registration_method)
                        values (:code, :key, :at, :summary, :registration)
                        on conflict (tracker_key) do nothing
                        returning id
                        """)
                .param("code", codePrefix + "-" + number)
                .param("key", trackerKey)
                .param("registration", RegistrationMethod.MANUAL.name())
                .param("at", Timestamp.from(incidentAt))
                .param("summary", summary)
                .query(Long.class)
                .optional();
    }

    /** The newest status history row's status. */
    Optional<IncidentStatus> latestStatus(long incidentId) {
        return jdbc.sql("""
                        select s.name from incident_status_history h join incident_status s on s.id = h.status_id
                        where h.incident_id = :id order by h.at desc, h.id desc limit 1
                        """)
                .param("id", incidentId)
                .query(String.class)
                .optional()
                .map(IncidentStatus::fromText);
    }

    void addStatus(long incidentId, IncidentStatus status, String comment) {
        addStatus(incidentId, status, comment, null);
    }

    /** @param trackerAt when the status began in Tracker (docs/sla.md), or null when Tracker did not say */
    void addStatus(long incidentId, IncidentStatus status, String comment, @Nullable Instant trackerAt) {
        jdbc.sql("""
                        insert into incident_status_history (incident_id, status_id, comment, tracker_at)
                        select :incident, s.id, :comment, :trackerAt from incident_status s where s.name = :name
                        """)
                .param("incident", incidentId)
                .param("name", status.text())
                .param("comment", comment)
                .param("trackerAt", trackerAt == null ? null : Timestamp.from(trackerAt))
                .update();
    }

    /**
     * Reopens a finished incident for a mail from outside (finish time cleared and kept as the closure the mail
     * answered, {@link IncidentStatus#IN_WORK} with {@code comment}); false when it is not finished.
     */
    boolean reopenByMail(long incidentId, String comment) {
        int reopened = jdbc.sql("""
                        update incident set reopened_closure_at = finished_at, finished_at = null, updated_at = now(),
                            version = version + 1
                        where id = :id and finished_at is not null
                        """).param("id", incidentId).update();
        if (reopened == 0) return false;
        addStatus(incidentId, IncidentStatus.IN_WORK, comment);
        return true;
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

    /**
     * Links a mail to an existing incident (through the mail feature, which owns the mail) and, for a mail a
     * dispatcher should look at, marks the incident as having a new message.
     */
    void attach(long incidentId, Link link, boolean newMessage) {
        link(incidentId, link);
        if (newMessage) {
            jdbc.sql("update incident set new_message = true, updated_at = now(), version = version + 1 where id = :id")
                    .param("id", incidentId)
                    .update();
        }
    }

    private void link(long incidentId, Link link) {
        mails.link(link.mailId(), incidentId, link.method(), link.detail());
    }

    void recordEvent(long incidentId, IncidentEventKind kind, String detailJson) {
        jdbc.sql("insert into incident_event (incident_id, kind, detail) values (:id, :kind, cast(:detail as jsonb))")
                .param("id", incidentId)
                .param("kind", kind.name())
                .param("detail", detailJson)
                .update();
    }

    /**
     * Serialises threading across threads and instances for the rest of the transaction, and has its statements
     * planned once per connection: they look rows up by keys, where a generic plan is as good as a custom one, and
     * PostgreSQL kept re-planning them for every mail (a third of threading's database time, docs/benchmarks.md).
     * Once the lock is granted, the transaction may last at most {@code limit} (PostgreSQL ends the session of one
     * that runs longer, which frees the lock) and wait at most half of it for a row lock (decision 0014). The select
     * list is evaluated in order: the wait for the lock itself is not limited.
     */
    void lockThreading(Duration limit) {
        jdbc.sql("""
                        select pg_advisory_xact_lock(7262001),
                               set_config('plan_cache_mode', 'force_generic_plan', true),
                               set_config('statement_timeout', :limit, true),
                               set_config('lock_timeout', :lockLimit, true),
                               set_config('transaction_timeout', :limit, true)
                        """)
                .param("limit", limit.toMillis() + "ms")
                .param("lockLimit", Math.max(1, limit.toMillis() / 2) + "ms")
                .query((rs, n) -> 1)
                .single();
    }

    /** The columns {@link #ref} reads, of the incident table under {@code alias}. */
    static String columns(String alias) {
        return "%1$s.id, %1$s.code, %1$s.tracker_key, %1$s.created_at, %1$s.finished_at, %1$s.pole_id is not null"
                .formatted(alias);
    }

    private static IncidentRef row(ResultSet rs, int i) throws SQLException {
        return ref(rs, 1);
    }

    /** An {@link IncidentRef} from the {@link #columns} starting at column {@code first}. */
    static IncidentRef ref(ResultSet rs, int first) throws SQLException {
        Timestamp finished = rs.getTimestamp(first + 4);
        return new IncidentRef(
                rs.getLong(first),
                rs.getString(first + 1),
                rs.getString(first + 2),
                rs.getTimestamp(first + 3).toInstant(),
                finished == null ? null : finished.toInstant(),
                rs.getBoolean(first + 5));
    }
}
