package dispatch.tracker;

import static dispatch.tracker.PullFixture.trackerTime;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import dispatch.standin.tracker.Fault;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import dispatch.tracker.StatusCommandIssued.Command;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** The pull's cycle: what it asks Tracker for, issues created by hand, status commands, failures mid-cycle. */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
@RecordApplicationEvents
class TrackerPullIntegrationTest {

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

    @Autowired
    ShiftedClock clock;

    @Autowired
    ApplicationEvents events;

    @Autowired
    MeterRegistry meters;

    FakeTracker tracker;
    PullFixture fixture;
    Instant incidentAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void clean() {
        tracker = standIns.tracker();
        fixture = new PullFixture(jdbc, tracker, towerStore, towerStoreImport);
        fixture.reset();
    }

    @Test
    void anIssueCreatedByHandBecomesOneIncidentEvenWhenWritingItsIdBackFailsOnce() {
        String key = tracker.createIssueManually(Map.of("summary", "Авария, заведена вручную"));
        failNextPatches(key);

        pull.pullOnce();
        assertThat(tracker.faults().fired())
                .as("writing the incident's id back failed")
                .isNotEmpty()
                .allSatisfy(f -> assertThat(f).startsWith("PATCH /issues/" + key + " -> ServerError"));
        tracker.faults().clear();
        pull.pullOnce();

        Map<String, Object> incident = jdbc.queryForMap("select * from incident");
        long id = (Long) incident.get("id");
        assertThat(incident)
                .containsEntry("registration_method", "MANUAL")
                .containsEntry("tracker_key", key)
                .containsEntry("finished_at", null);
        assertThat(((Timestamp) incident.get("incident_at")).toInstant())
                .isEqualTo(trackerTime(fixture.field(key, "createdAt")));
        assertThat(fixture.history(id)).containsExactly("Новый");
        assertThat(fixture.historyComment(id, "Новый")).isEqualTo("Заявка была заведена через YandexTracker");
        assertThat(((Number) fixture.field(key, "localId")).longValue()).isEqualTo(id);
        assertThat(trackerTime(fixture.field(key, "emailDatetime")))
                .isEqualTo(trackerTime(fixture.field(key, "createdAt")));
    }

    @Test
    void aClosedIssueCreatedByHandBecomesAFinishedIncident() {
        pull.pullOnce(); // the first cycle, a full sweep: it looks at open issues only
        String key = tracker.createIssueManually(Map.of("summary", "Уже решено"));
        tracker.transition(key, "closed");

        pull.pullOnce();

        long id = jdbc.queryForObject("select id from incident where tracker_key = ?", Long.class, key);
        assertThat(fixture.history(id)).containsExactly("Новый", "Закрыт");
        assertThat(fixture.finishedAt(id)).isEqualTo(trackerTime(fixture.field(key, "resolvedAt")));
    }

    @Test
    void aNotifyStatusIsPublishedAsACommandOncePerTimeItIsSet() {
        long id = fixture.incident(incidentAt, null);
        String key = fixture.issue(id, Map.of());
        pull.pullOnce();

        tracker.transition(key, "notifyOperatorInWork");
        pull.pullOnce();
        tracker.editAsDispatcher(key, Map.of("summary", "пока ждём"));
        pull.pullOnce();
        tracker.transition(key, "notifiedOperatorInWork");
        pull.pullOnce();
        tracker.transition(key, "notifyOperatorInWork");
        pull.pullOnce();

        assertThat(events.stream(StatusCommandIssued.class))
                .extracting(
                        StatusCommandIssued::incidentId, StatusCommandIssued::trackerKey, StatusCommandIssued::command)
                .containsExactly(tuple(id, key, Command.OPERATOR_IN_WORK), tuple(id, key, Command.OPERATOR_IN_WORK));
        assertThat(fixture.history(id))
                .containsExactly("Новый", "Уведомляем оператора", "Уведомили оператора", "Уведомляем оператора");
    }

    @Test
    void notifyingTheRequesterOfAnIssueCreatedByHandIsAnError() {
        String key = tracker.createIssueManually(Map.of("summary", "Вручную"));
        pull.pullOnce();

        tracker.transition(key, "notifyOperatorClosed");
        pull.pullOnce();

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key))
                .containsExactly(
                        "Нельзя отправить автоматическое уведомление заявителю для заявки, созданной вручную.");
        assertThat(events.stream(StatusCommandIssued.class)).isEmpty();
    }

    @Test
    void theWatermarkStaysAtTheLastGoodIssueWhenTrackerFailsMidCycle() {
        List<Long> ids = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(fixture.incident(incidentAt, null));
            keys.add(fixture.issue(ids.get(i), Map.of()));
        }
        pull.pullOnce();
        String typeField = tracker.localFieldId("typeOfIncident");
        keys.forEach(k -> tracker.editAsDispatcher(k, Map.of(typeField, "Авария ВОЛС")));
        Instant failedAt = trackerTime(fixture.field(keys.get(1), "updatedAt"));
        failNextPatches(keys.get(1));

        pull.pullOnce();

        assertThat(watermark()).isEqualTo(failedAt);
        assertThat(fixture.field(keys.get(0), "slaDeadline")).isNotNull();
        assertThat(fixture.field(keys.get(1), "slaDeadline")).isNull();
        assertThat(fixture.row(ids.get(2))).containsEntry("type_name", null);

        tracker.faults().clear();
        pull.pullOnce();

        assertThat(fixture.field(keys.get(1), "slaDeadline")).isNotNull();
        assertThat(fixture.row(ids.get(2))).containsEntry("type_name", "Авария ВОЛС");
        assertThat(watermark()).isAfter(failedAt);
    }

    @Test
    void theFullSweepFinishesAnIncidentWhoseIssueWasClosedUnnoticed() {
        long id = fixture.incident(incidentAt, null);
        String key = fixture.issue(id, Map.of());
        pull.pullOnce();
        // Closed without the pull seeing it (e.g. a change the search index showed too late).
        tracker.transition(key, "closed");
        tracker.resetCalls();

        pull.fullSweep();

        assertThat(fixture.history(id)).containsExactly("Новый", "Закрыт");
        assertThat(fixture.finishedAt(id)).isEqualTo(trackerTime(fixture.field(key, "resolvedAt")));
        assertThat(fixture.searches()).isEqualTo(2);
    }

    @Test
    void anIncidentWhoseIssueLeftTheQueueStaysOpenAndIsCountedAsMissing() {
        long kept = fixture.incident(incidentAt, null);
        fixture.issue(kept, Map.of());
        long moved = fixture.incident(incidentAt, null);
        fixture.issue(moved, Map.of());
        // A dispatcher moved the issue to another queue: its key is gone from ours.
        jdbc.update("update incident set tracker_key = 'DISPATCH-404' where id = ?", moved);

        pull.fullSweep();

        assertThat(meters.get("dispatch.tracker.issues.missing").gauge().value())
                .isEqualTo(1);
        assertThat(fixture.finishedAt(moved)).isNull();
        assertThat(fixture.history(moved)).containsExactly("Новый");
    }

    @Test
    void withTwoThousandOpenIssuesAndNoChangeOneCycleMakesAtMostTwoSearchCalls() {
        fixture.openIssues(2000, incidentAt);
        // The issues were last changed a while ago (both clocks move on together).
        clock.shift(Duration.ofMinutes(5));
        tracker.advanceClock(Duration.ofMinutes(5));
        pull.pullOnce();
        tracker.resetCalls();

        pull.pullOnce();

        assertThat(fixture.searches()).isLessThanOrEqualTo(2);
        assertThat(fixture.writes()).isZero();
    }

    private void failNextPatches(String key) {
        for (int i = 0; i < 10; i++) {
            tracker.faults().next("PATCH /issues/" + key, Fault.respond5xx(503));
        }
    }

    private Instant watermark() {
        return Instant.parse(jdbc.queryForObject(
                "select value #>> '{}' from sync_state where key = 'tracker.pull.watermark'", String.class));
    }
}
