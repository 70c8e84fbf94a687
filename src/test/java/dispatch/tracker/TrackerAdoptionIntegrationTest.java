package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The first start never turns the queue red (decision 0021): open issues created before this installation first
 * pulled, whose database id names no incident known to belong to them, are adopted as incidents; only newer ones go
 * to {@code error}; a database id alone never links an old issue to an unrelated new incident.
 */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
class TrackerAdoptionIntegrationTest {

    private static final List<String> OPEN_STATUSES =
            List.of("open", "inProgress", "needAcceptance", "notifiedOperatorInWork", "notifiedContractorInWork");

    @Autowired
    TrackerPull pull;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TowerStore towerStore;

    @Autowired
    TowerStoreImport towerStoreImport;

    FakeTracker tracker;
    PullFixture fixture;

    @BeforeEach
    void clean() {
        tracker = standIns.tracker();
        fixture = new PullFixture(jdbc, tracker, towerStore, towerStoreImport);
        fixture.reset();
    }

    @Test
    void oldOpenIssuesAreAdoptedAndNoneGoesToError() {
        // A new incident whose id an old issue happens to carry, and one already mirrored by another issue.
        long unrelated = fixture.incident(Instant.now(), null);
        long mirrored = fixture.incident(Instant.now(), null);
        String mirror = fixture.issue(mirrored, Map.of());
        Instant firstMail = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("summary", "старая заявка " + i);
            fields.put("localId", i == 0 ? unrelated : i == 1 ? mirrored : 70_000 + i);
            if (i % 2 == 0) fields.put("emailDatetime", IssueFields.TRACKER_TIME.format(firstMail));
            String key = tracker.createIssueManually(fields);
            String status = OPEN_STATUSES.get(i % OPEN_STATUSES.size());
            if (!status.equals("open")) tracker.transition(key, status);
            old.add(key);
        }
        fixture.firstPull(createdAt(old.get(old.size() - 1)).plusMillis(1));

        pull.fullSweep();

        for (String key : old) {
            assertThat(fixture.status(key)).as(key).isNotEqualTo("error");
            Map<String, Object> incident = jdbc.queryForMap("select * from incident where tracker_key = ?", key);
            long id = (Long) incident.get("id");
            assertThat(id).as(key).isNotIn(unrelated, mirrored);
            assertThat(((Number) fixture.field(key, "localId")).longValue())
                    .as(key)
                    .isEqualTo(id);
            assertThat(fixture.history(id)).as(key).first().isEqualTo("Новый");
            assertThat(fixture.historyComment(id, "Новый"))
                    .as(key)
                    .contains(key)
                    .contains("прежний номер");
        }
        assertThat(incidentAt(old.get(0))).isEqualTo(firstMail);
        assertThat(incidentAt(old.get(1))).isEqualTo(createdAt(old.get(1)));
        assertThat(fixture.history(idOf(old.get(1)))).containsExactly("Новый", "В работе");
        assertThat(jdbc.queryForObject("select tracker_key from incident where id = ?", String.class, unrelated))
                .isNull();
        assertThat(jdbc.queryForObject("select tracker_key from incident where id = ?", String.class, mirrored))
                .isEqualTo(mirror);
        long incidents = count();

        pull.fullSweep();

        assertThat(count()).as("a second sweep adopts nothing again").isEqualTo(incidents);
        assertThat(old).allSatisfy(key -> assertThat(fixture.status(key)).isNotEqualTo("error"));
    }

    @Test
    void anIssueWithTheIdOfAnImportedIncidentIsLinkedToIt() {
        long imported = fixture.incident(Instant.now(), null);
        jdbc.update("update incident set imported_at = now() where id = ?", imported);
        String key = tracker.createIssueManually(Map.of("summary", "из старой системы", "localId", imported));
        fixture.firstPull(Instant.EPOCH);

        pull.fullSweep();

        assertThat(idOf(key)).isEqualTo(imported);
        assertThat(fixture.status(key)).isNotEqualTo("error");
        assertThat(count()).isEqualTo(1);
    }

    @Test
    void aNewIssueNamingAnIncidentNotKnownToBelongToItIsAnErrorNotALink() {
        long unrelated = fixture.incident(Instant.now(), null);
        fixture.firstPull(Instant.EPOCH);
        String key = tracker.createIssueManually(Map.of("summary", "чужая", "localId", unrelated));

        pull.fullSweep();

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(jdbc.queryForObject("select tracker_key from incident where id = ?", String.class, unrelated))
                .isNull();
    }

    private Instant createdAt(String key) {
        return TrackerIssue.parse(String.valueOf(tracker.issue(key).get("createdAt")))
                .orElseThrow();
    }

    private Instant incidentAt(String key) {
        return jdbc.queryForObject(
                        "select incident_at from incident where tracker_key = ?", java.sql.Timestamp.class, key)
                .toInstant();
    }

    private long idOf(String key) {
        return jdbc.queryForObject("select id from incident where tracker_key = ?", Long.class, key);
    }

    private long count() {
        return jdbc.queryForObject("select count(*) from incident", Long.class);
    }
}
