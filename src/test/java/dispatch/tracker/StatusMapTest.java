package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Incident;
import dispatch.incident.IncidentStatus;
import dispatch.incident.RegistrationMethod;
import dispatch.tracker.StatusCommandIssued.Command;
import dispatch.tracker.StatusMap.OpenClosed;
import dispatch.tracker.StatusMap.Rule;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What a status a dispatcher sets in Tracker does to the incident (no Spring, no database). */
class StatusMapTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");

    private final StatusMap map = new StatusMap(new TrackerProperties.Statuses(
            "open",
            "inProgress",
            "needAcceptance",
            "closed",
            "error",
            "onGeneration",
            "notifyOperatorInWork",
            "notifiedOperatorInWork",
            "notifyOperatorClosed",
            "notifiedOperatorClosed",
            "notifyContractorInWork",
            "notifiedContractorInWork",
            "open"));

    @Test
    void notifyStatusesAreCommandsAndTheirNotifiedPairsAreOnlyHistory() {
        assertThat(map.rule("notifyOperatorInWork"))
                .isEqualTo(new Rule(IncidentStatus.NOTIFYING_OPERATOR, null, Command.OPERATOR_IN_WORK));
        assertThat(map.rule("notifyOperatorClosed"))
                .isEqualTo(new Rule(IncidentStatus.NOTIFYING_CLOSED, null, Command.OPERATOR_CLOSED));
        assertThat(map.rule("notifyContractorInWork"))
                .isEqualTo(new Rule(IncidentStatus.HANDING_OVER, null, Command.CONTRACTOR_IN_WORK));
        assertThat(map.rule("notifiedContractorInWork")).isEqualTo(new Rule(IncidentStatus.HANDED_OVER, null, null));
        assertThat(map.rule("inProgress")).isEqualTo(new Rule(IncidentStatus.IN_WORK, StatusMap.ACCEPTED, null));
        assertThat(map.rule("closed")).isNull();
        assertThat(map.rule("onGeneration")).isNull();
        assertThat(map.rule("someoneElsesStatus")).isNull();
    }

    @Test
    void closingFinishesAtTheResolutionTimeElseWhenTheIssueEnteredTheStatus() {
        assertThat(map.openClosed(issue("closed", T.plusSeconds(60), T), incident(null, null)))
                .isEqualTo(new OpenClosed.Finish(T.plusSeconds(60), IncidentStatus.CLOSED));
        assertThat(map.openClosed(issue("onGeneration", null, T), incident(null, null)))
                .isEqualTo(new OpenClosed.Finish(T, IncidentStatus.ON_GENERATION));
    }

    @Test
    void anyOtherStatusReopensAFinishedIncidentAndLeavesAnOpenOneAlone() {
        assertThat(map.openClosed(issue("inProgress", null, T), incident(T.minusSeconds(60), null)))
                .isEqualTo(new OpenClosed.Reopen());
        assertThat(map.openClosed(issue("inProgress", null, T), incident(null, null)))
                .isEqualTo(new OpenClosed.Keep());
    }

    @Test
    void theClosureAMailAlreadyReopenedDoesNotFinishTheIncidentAgainButALaterOneDoes() {
        Incident reopenedByMail = incident(null, T);

        assertThat(map.openClosed(issue("closed", T, T), reopenedByMail)).isEqualTo(new OpenClosed.Keep());
        assertThat(map.openClosed(issue("closed", T.plusSeconds(1), T), reopenedByMail))
                .isEqualTo(new OpenClosed.Finish(T.plusSeconds(1), IncidentStatus.CLOSED));
    }

    @Test
    void anIncidentOpenedByHandInTrackerCannotNotifyTheOperatorButCanTheContractor() {
        Incident manual = incident(null, null, RegistrationMethod.MANUAL);

        assertThat(map.commandError("notifyOperatorInWork", manual)).isEqualTo(StatusMap.MANUAL_NOTIFY_ERROR);
        assertThat(map.commandError("notifyOperatorClosed", manual)).isEqualTo(StatusMap.MANUAL_NOTIFY_ERROR);
        assertThat(map.commandError("notifyContractorInWork", manual)).isNull();
        assertThat(map.commandError("notifyOperatorInWork", incident(null, null)))
                .isNull();
    }

    @Test
    void thePullAsksForEveryOpenStatusAndNoClosingOne() {
        assertThat(map.openKeys())
                .hasSize(10)
                .contains("open", "error", "notifyContractorInWork")
                .doesNotContain("closed", "onGeneration");
    }

    private static TrackerIssue issue(String status, Instant resolvedAt, Instant statusStart) {
        var json = JSON.createObjectNode()
                .put("key", "DISPATCH-1")
                .put("updatedAt", statusStart.plusSeconds(5).toString())
                .put("statusStartTime", statusStart.toString());
        json.putObject("status").put("key", status);
        if (resolvedAt != null) json.put("resolvedAt", resolvedAt.toString());
        return TrackerIssue.of(json);
    }

    private static Incident incident(Instant finishedAt, Instant reopenedClosureAt) {
        return incident(finishedAt, reopenedClosureAt, RegistrationMethod.EMAIL);
    }

    private static Incident incident(Instant finishedAt, Instant reopenedClosureAt, RegistrationMethod registration) {
        return new Incident(
                1,
                "INC-1",
                "DISPATCH-1",
                null,
                T.minusSeconds(3600),
                finishedAt,
                registration,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                reopenedClosureAt,
                false,
                null,
                false);
    }
}
