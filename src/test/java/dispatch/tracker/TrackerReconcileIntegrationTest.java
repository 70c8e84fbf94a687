package dispatch.tracker;

import static dispatch.tracker.PullFixture.trackerTime;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/** What dispatchers change in an issue comes back into the incident, validated; the DB truth goes back to Tracker. */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
class TrackerReconcileIntegrationTest {

    static final String TYPE = "typeOfIncident";

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

    FakeTracker tracker;
    PullFixture fixture;
    String typeField;
    Instant incidentAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeEach
    void clean() {
        tracker = standIns.tracker();
        fixture = new PullFixture(jdbc, tracker, towerStore, towerStoreImport);
        fixture.reset();
        typeField = tracker.localFieldId(TYPE);
    }

    @Test
    void aValidTypeIsStoredAndTheSlaIsComputedAndWrittenBack() {
        long id = fixture.incident(incidentAt, null);
        String key = fixture.issue(id, Map.of(typeField, "Авария ВОЛС"));

        pull.pullOnce();

        assertThat(fixture.row(id)).containsEntry("type_name", "Авария ВОЛС");
        assertThat(trackerTime(fixture.field(key, "slaDeadline"))).isEqualTo(incidentAt.plus(Duration.ofDays(1)));
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟦 В работе");
        assertThat(trackerTime(fixture.field(key, "emailDatetime"))).isEqualTo(incidentAt);
        assertThat(fixture.status(key)).isEqualTo("open");
    }

    @Test
    void anSlaStatusThatChangesWithTimeReachesTheUntouchedIssueAtTheNextPull() {
        // 240 minutes for this type: 70 minutes are left, 10 minutes before "less than an hour".
        long id = fixture.incident(clock.instant().minus(Duration.ofMinutes(170)), null);
        String key = fixture.issue(id, Map.of(typeField, "Угроза гибели / гибель объекта"));
        pull.pullOnce();
        later(Duration.ofMinutes(5));
        pull.pullOnce();
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟦 В работе");

        later(Duration.ofMinutes(6));
        tracker.resetCalls();
        pull.pullOnce();

        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟨 Осталось менее часа");
        assertThat(fixture.searches()).isEqualTo(2);
    }

    @Test
    void anUnknownTypeMovesTheIssueToErrorNamingTheAllowedTypesOnce() {
        long id = fixture.incident(incidentAt, null);
        String key = fixture.issue(id, Map.of(typeField, "Пожар"));
        String names = String.join(", ", jdbc.queryForList("select name from incident_type order by id", String.class));
        String expected = "Неверно указан тип инцидента (Пожар).Допустимые значения: " + names + ".";

        pull.pullOnce();
        tracker.editAsDispatcher(key, Map.of("summary", "ещё раз"));
        pull.pullOnce();

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key)).containsExactly(expected);
        assertThat(fixture.history(id)).containsExactly("Новый", "Ошибка");
        assertThat(fixture.historyComment(id, "Ошибка")).isEqualTo(expected);
        assertThat(fixture.row(id)).containsEntry("type_name", null);
        assertThat(fixture.field(key, typeField)).isEqualTo("Пожар");
    }

    @Test
    void poleCodesResolveExactlyOrByAUniquePrefixAndFillTheContractor() {
        long exact = fixture.incident(incidentAt, null);
        String exactKey = fixture.issue(exact, Map.of("poleNumber", "50123-01"));
        long prefix = fixture.incident(incidentAt, null);
        String prefixKey = fixture.issue(prefix, Map.of("poleNumber", "69077"));

        pull.pullOnce();

        assertThat(fixture.row(exact)).containsEntry("pole_code", "50123-01");
        assertThat(fixture.field(exactKey, "avrName")).isEqualTo("АО «РемСвязьМонтаж»");
        assertThat(fixture.row(prefix)).containsEntry("pole_code", "69077-02");
        assertThat(fixture.field(prefixKey, "poleNumber")).isEqualTo("69077-02");
        assertThat(fixture.field(prefixKey, "avrName")).isEqualTo("ООО «СеверСтройСвязь»");
        assertThat(fixture.status(exactKey)).isEqualTo("open");
        assertThat(fixture.status(prefixKey)).isEqualTo("open");
    }

    @Test
    void anAmbiguousOrUnknownPoleIsAnErrorWithTheReason() {
        long ambiguous = fixture.incident(incidentAt, null);
        String ambiguousKey = fixture.issue(ambiguous, Map.of("poleNumber", "5012"));
        long unknown = fixture.incident(incidentAt, null);
        String unknownKey = fixture.issue(unknown, Map.of("poleNumber", "99999"));
        long twoRows = fixture.incident(incidentAt, null);
        String twoRowsKey = fixture.issue(twoRows, Map.of("poleNumber", "50417-01"));

        pull.pullOnce();

        assertError(
                ambiguous,
                ambiguousKey,
                "Найдено 2 опор, начинающихся с \"5012\". Примеры: 50123-01, 50123-02. Уточните шифр опоры.");
        assertError(unknown, unknownKey, "Не найдено опор, начинающихся с \"99999\"");
        assertError(
                twoRows,
                twoRowsKey,
                "Найдено 2 опор, начинающихся с \"50417-01\". Примеры: 50417-01, 50417-01. Уточните шифр опоры.");
        assertThat(fixture.row(ambiguous)).containsEntry("pole_id", null);
        assertThat(fixture.field(ambiguousKey, "poleNumber")).isEqualTo("5012");
    }

    @Test
    void aBaseStationResolvesExactlyOrByPrefixAndFillsPoleAndOperators() {
        long exact = fixture.incident(incidentAt, null);
        String exactKey = fixture.issue(exact, Map.of("baseStation", "MO0562"));
        long prefix = fixture.incident(incidentAt, null);
        String prefixKey = fixture.issue(prefix, Map.of("baseStation", "TW_0077", "poleNumber", "69077"));

        pull.pullOnce();

        assertThat(fixture.row(exact)).containsEntry("bs_name", "MO0562").containsEntry("pole_code", "50562-03");
        assertThat(fixture.field(exactKey, "poleNumber")).isEqualTo("50562-03");
        assertThat(fixture.field(exactKey, "operatorName")).isEqualTo("МобиТел, СвязьПлюс");
        assertThat(fixture.field(exactKey, "avrName")).isEqualTo("АО «РемСвязьМонтаж»");
        assertThat(fixture.row(prefix)).containsEntry("bs_name", "TW_0077_Bereg");
        assertThat(fixture.field(prefixKey, "baseStation")).isEqualTo("TW_0077_Bereg");
        assertThat(fixture.field(prefixKey, "poleNumber")).isEqualTo("69077-02");
        assertThat(fixture.field(prefixKey, "operatorName")).isEqualTo("ТелеВолна");
    }

    @Test
    void anAmbiguousUnknownOrMismatchedBaseStationIsAnErrorWithTheReason() {
        long ambiguous = fixture.incident(incidentAt, null);
        String ambiguousKey = fixture.issue(ambiguous, Map.of("baseStation", "MO01"));
        long unknown = fixture.incident(incidentAt, null);
        String unknownKey = fixture.issue(unknown, Map.of("baseStation", "ZZ9"));
        long mismatch = fixture.incident(incidentAt, null);
        String mismatchKey = fixture.issue(mismatch, Map.of("baseStation", "MO0123", "poleNumber", "69077-02"));
        long elsewhere = fixture.incident(incidentAt, null);
        String elsewhereKey = fixture.issue(elsewhere, Map.of("baseStation", "MO01", "poleNumber", "69"));

        pull.pullOnce();

        assertError(
                ambiguous,
                ambiguousKey,
                "Найдено 2 БС, начинающихся с \"MO01\". Примеры: MO0123, MO0124. Уточните шифр базовой станции.");
        assertError(unknown, unknownKey, "Не найдено БС, начинающихся с \"ZZ9\"");
        assertError(
                mismatch,
                mismatchKey,
                "Базовая станция \"MO0123\" привязана к опоре \"50123-01\", а указана опора \"69077-02\"");
        assertError(
                elsewhere,
                elsewhereKey,
                "Найдено БС, начинающихся с \"MO01\", но ни одна не привязана к опоре, начинающейся с \"69\".");
        assertThat(fixture.field(mismatchKey, "baseStation")).isEqualTo("MO0123");
        assertThat(fixture.field(mismatchKey, "operatorName")).isNull();
    }

    @Test
    void anIssueCreatedAfterTheFirstPullWithAnUnknownDatabaseIdIsMovedToError() {
        fixture.firstPull(Instant.EPOCH);
        String key = tracker.createIssueManually(Map.of("summary", "чужая", "localId", 999_999));

        pull.pullOnce();

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key)).containsExactly("Неизвестный localId для внутреннего номера инцидента.");
        assertThat(jdbc.queryForObject("select count(*) from incident", Long.class))
                .isZero();
    }

    @Test
    void closingOnGenerationReopeningAndClosingAgainAreMirroredWithTrackersTimes() {
        long id = fixture.incident(incidentAt, null);
        String key = fixture.issue(id, Map.of());
        pull.pullOnce();

        tracker.transition(key, "closed");
        pull.pullOnce();
        Instant resolvedAt = trackerTime(fixture.field(key, "resolvedAt"));
        assertThat(fixture.finishedAt(id)).isEqualTo(resolvedAt);

        tracker.transition(key, "inProgress");
        pull.pullOnce();
        assertThat(fixture.finishedAt(id)).isNull();

        tracker.transition(key, "onGeneration");
        pull.pullOnce();
        assertThat(fixture.finishedAt(id)).isEqualTo(trackerTime(fixture.field(key, "updatedAt")));

        tracker.transition(key, "inProgress");
        pull.pullOnce();
        tracker.transition(key, "closed");
        pull.pullOnce();
        assertThat(fixture.finishedAt(id)).isEqualTo(trackerTime(fixture.field(key, "resolvedAt")));

        assertThat(fixture.history(id))
                .containsExactly("Новый", "Закрыт", "В работе", "На генерации НБ", "В работе", "Закрыт");
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("⬜️ Неизвестно");
    }

    @Test
    void theAssigneeInTrackerWinsAndAnUnknownOneIsRecordedNotApplied() {
        long replaced = fixture.incident(incidentAt, "dispatcher");
        String replacedKey = fixture.issue(replaced, Map.of("assignee", "petrov"));
        long cleared = fixture.incident(incidentAt, "dispatcher");
        fixture.issue(cleared, Map.of());
        long robot = fixture.incident(incidentAt, "petrov");
        String robotKey = fixture.issue(robot, Map.of("assignee", "yndx-tracker-cnt-robot"));

        pull.pullOnce();
        tracker.editAsDispatcher(robotKey, Map.of("summary", "ещё раз"));
        pull.pullOnce();

        assertThat(fixture.row(replaced)).containsEntry("dispatcher", "petrov");
        assertThat(fixture.row(cleared)).containsEntry("dispatcher", null);
        assertThat(fixture.row(robot)).containsEntry("dispatcher", "petrov");
        assertThat(jdbc.queryForList(
                        "select detail->>'assignee' from incident_event where incident_id = ? and kind = ?",
                        String.class,
                        robot,
                        Assignees.NOT_A_DISPATCHER.name()))
                .containsExactly("yndx-tracker-cnt-robot");
        Map<String, Object> none = new HashMap<>();
        none.put("assignee", null);
        tracker.editAsDispatcher(replacedKey, none);
        pull.pullOnce();
        assertThat(fixture.row(replaced)).containsEntry("dispatcher", null);
    }

    @Test
    void workingStatusesAreRecordedOncePerChange() {
        long id = fixture.incident(incidentAt, null);
        String key = fixture.issue(id, Map.of());
        pull.pullOnce();

        tracker.transition(key, "inProgress");
        pull.pullOnce();
        tracker.editAsDispatcher(key, Map.of("summary", "уточнение"));
        pull.pullOnce();
        tracker.transition(key, "needAcceptance");
        pull.pullOnce();
        tracker.transition(key, "notifiedContractorInWork");
        pull.pullOnce();

        assertThat(fixture.history(id))
                .containsExactly("Новый", "В работе", "Ждем подтверждения", "Передано подрядчику");
        assertThat(fixture.historyComment(id, "В работе")).isEqualTo("Диспетчер принял работы в YandexTracker");
    }

    @Test
    void nothingIsWrittenBackWhenTheIssueAlreadyShowsTheDatabaseTruth() {
        long id = fixture.incident(incidentAt, "dispatcher");
        String key =
                fixture.issue(id, Map.of("assignee", "dispatcher", "poleNumber", "50123-01", typeField, "Авария ВОЛС"));
        pull.pullOnce();
        tracker.resetCalls();

        tracker.editAsDispatcher(key, Map.of("summary", "уточнение без последствий"));
        pull.pullOnce();

        assertThat(fixture.writes()).isZero();
        assertThat(fixture.searches()).isEqualTo(1);
    }

    private void later(Duration by) {
        clock.shift(by);
        tracker.advanceClock(by);
    }

    private void assertError(long incident, String key, String text) {
        assertThat(fixture.status(key)).as(key).isEqualTo("error");
        assertThat(fixture.comments(key)).as(key).containsExactly(text);
        assertThat(fixture.history(incident)).as(key).containsExactly("Новый", "Ошибка");
        assertThat(fixture.historyComment(incident, "Ошибка")).as(key).isEqualTo(text);
    }
}
