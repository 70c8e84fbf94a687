package dispatch.tracker;

import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Test data for the pull: incidents inserted by SQL, their issues created in the fake Tracker as the push would
 * have left them, and readers of what the pull did on both sides.
 */
class PullFixture {

    private final JdbcTemplate jdbc;
    private final TowerStore towerStore;
    private final TowerStoreImport towerStoreImport;
    private final FakeTracker tracker;

    PullFixture(JdbcTemplate jdbc, FakeTracker tracker, TowerStore towerStore, TowerStoreImport towerStoreImport) {
        this.jdbc = jdbc;
        this.tracker = tracker;
        this.towerStore = towerStore;
        this.towerStoreImport = towerStoreImport;
    }

    /** A clean database (reference data kept), a clean fake and no pull progress. */
    void reset() {
        if (towerStore.polesByCode("50123-01").isEmpty()) towerStoreImport.importAll();
        jdbc.execute("truncate incident cascade");
        jdbc.update("delete from sync_state where key like 'tracker.%'");
        tracker.reset();
    }

    long incident(Instant incidentAt, @Nullable String dispatcher) {
        Long id = jdbc.queryForObject("""
                insert into incident (code, incident_at, registration_method, dispatcher_id)
                values ('INC-' || nextval('incident_code_seq'), ?, 'EMAIL', (select id from dispatcher where login = ?))
                returning id""", Long.class, Timestamp.from(incidentAt), dispatcher);
        jdbc.update(
                "insert into incident_status_history (incident_id, status_id) select ?, id from incident_status where name = 'Новый'",
                id);
        return id;
    }

    /** The issue of an incident, with the DB id field set, and the incident linked to it. */
    String issue(long incidentId, Map<String, ?> fields) {
        Map<String, Object> body = new LinkedHashMap<>(fields);
        body.put("summary", "Инцидент " + incidentId);
        body.put("localId", incidentId);
        String key = tracker.createIssueManually(body);
        jdbc.update("update incident set tracker_key = ? where id = ?", key, incidentId);
        return key;
    }

    /**
     * {@code count} open incidents inserted in bulk, each with an issue that already shows the DB truth (no type, no
     * location), as a push would have left them.
     */
    void openIssues(int count, Instant incidentAt) {
        jdbc.update("""
                insert into incident (code, incident_at, registration_method)
                select 'BULK-' || n, ?, 'EMAIL' from generate_series(1, ?) n""", Timestamp.from(incidentAt), count);
        List<Object[]> links = new ArrayList<>();
        for (long id : jdbc.queryForList("select id from incident where code like 'BULK-%' order by id", Long.class)) {
            String key = tracker.createIssueManually(Map.of(
                    "summary",
                    "Инцидент " + id,
                    "localId",
                    id,
                    "emailDatetime",
                    IssueFields.TRACKER_TIME.format(incidentAt),
                    "slaStatus",
                    "⬜️ Неизвестно"));
            links.add(new Object[] {key, id});
        }
        jdbc.batchUpdate("update incident set tracker_key = ? where id = ?", links);
    }

    /** Pretends this installation first pulled from Tracker at {@code at} (decision 0021). */
    void firstPull(Instant at) {
        jdbc.update("""
                insert into sync_state (key, value) values (?, to_jsonb(cast(? as text)))
                on conflict (key) do update set value = excluded.value""", PullState.FIRST_PULL, at.toString());
    }

    String status(String key) {
        return tracker.statusKey(key);
    }

    @Nullable
    Object field(String key, String field) {
        return tracker.issue(key).get(field);
    }

    List<String> comments(String key) {
        return tracker.commentTexts(key);
    }

    List<String> history(long incidentId) {
        return jdbc.queryForList("""
                select s.name from incident_status_history h join incident_status s on s.id = h.status_id
                where h.incident_id = ? order by h.at, h.id""", String.class, incidentId);
    }

    @Nullable
    String historyComment(long incidentId, String status) {
        return jdbc.queryForList("""
                        select h.comment from incident_status_history h join incident_status s on s.id = h.status_id
                        where h.incident_id = ? and s.name = ? order by h.at desc, h.id desc""", String.class, incidentId, status).get(0);
    }

    Map<String, Object> row(long incidentId) {
        return jdbc.queryForMap("""
                select i.*, t.name as type_name, p.code as pole_code, b.name as bs_name, d.login as dispatcher
                from incident i left join incident_type t on t.id = i.type_id left join pole p on p.id = i.pole_id
                left join base_station b on b.id = i.base_station_id left join dispatcher d on d.id = i.dispatcher_id
                where i.id = ?""", incidentId);
    }

    @Nullable
    Instant finishedAt(long incidentId) {
        Timestamp at =
                jdbc.queryForObject("select finished_at from incident where id = ?", Timestamp.class, incidentId);
        return at == null ? null : at.toInstant();
    }

    static Instant trackerTime(Object text) {
        return Instant.from(IssueFields.TRACKER_TIME.parse(String.valueOf(text)));
    }

    int writes() {
        return tracker.callCount("PATCH /issues/{key}")
                + tracker.callCount("POST /issues/{key}/transitions/{id}/_execute")
                + tracker.callCount("POST /issues/{key}/comments")
                + tracker.callCount("POST /issues/");
    }

    int searches() {
        return tracker.callCount("POST /issues/_search");
    }
}
