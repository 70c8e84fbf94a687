package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.IncidentStatus;
import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a Tracker status a dispatcher sets means for the incident (docs/domain.md, "Tracker workflow"), without doing
 * it: the history status it records, the command it issues, and whether it finishes or reopens the incident.
 * {@link StatusRules} carries the answers out.
 */
final class StatusMap {

    static final String MANUAL_NOTIFY_ERROR =
            "Нельзя отправить автоматическое уведомление заявителю для заявки, созданной вручную.";
    static final String ACCEPTED = "Диспетчер принял работы в YandexTracker";

    /** A history status (with a comment), and the command when the status is one. */
    record Rule(
            IncidentStatus status,
            @Nullable String comment,
            @Nullable Command command) {}

    /** What the issue's status does to whether the incident is finished. */
    sealed interface OpenClosed {
        /** Finished at Tracker's time, closed or on generation. */
        record Finish(Instant at, IncidentStatus status) implements OpenClosed {}

        /** Unfinished again. */
        record Reopen() implements OpenClosed {}

        /** No change. */
        record Keep() implements OpenClosed {}
    }

    private final TrackerProperties.Statuses keys;
    private final Map<String, Rule> rules = new HashMap<>();

    StatusMap(TrackerProperties.Statuses keys) {
        this.keys = keys;
        rules.put(keys.error(), new Rule(IncidentStatus.ERROR, null, null));
        rules.put(keys.needAcceptance(), new Rule(IncidentStatus.AWAITING_CONFIRMATION, null, null));
        rules.put(keys.inProgress(), new Rule(IncidentStatus.IN_WORK, ACCEPTED, null));
        rules.put(keys.notifiedOperatorInWork(), new Rule(IncidentStatus.NOTIFIED_OPERATOR, null, null));
        rules.put(keys.notifiedOperatorClosed(), new Rule(IncidentStatus.NOTIFIED_CLOSED, null, null));
        rules.put(keys.notifiedContractorInWork(), new Rule(IncidentStatus.HANDED_OVER, null, null));
        rules.put(
                keys.notifyOperatorInWork(),
                new Rule(IncidentStatus.NOTIFYING_OPERATOR, null, Command.OPERATOR_IN_WORK));
        rules.put(
                keys.notifyOperatorClosed(), new Rule(IncidentStatus.NOTIFYING_CLOSED, null, Command.OPERATOR_CLOSED));
        rules.put(
                keys.notifyContractorInWork(), new Rule(IncidentStatus.HANDING_OVER, null, Command.CONTRACTOR_IN_WORK));
    }

    /** The history entry an open status records; null for the closing statuses and ones without an entry. */
    @Nullable
    Rule rule(String statusKey) {
        return closed(statusKey) ? null : rules.get(statusKey);
    }

    /** The statuses in which an issue is open (everything but closed and on generation). */
    List<String> openKeys() {
        return List.of(
                keys.open(),
                keys.inProgress(),
                keys.needAcceptance(),
                keys.error(),
                keys.notifyOperatorInWork(),
                keys.notifiedOperatorInWork(),
                keys.notifyOperatorClosed(),
                keys.notifiedOperatorClosed(),
                keys.notifyContractorInWork(),
                keys.notifiedContractorInWork());
    }

    boolean closed(String statusKey) {
        return statusKey.equals(keys.closed()) || statusKey.equals(keys.onGeneration());
    }

    /** The error a status command cannot be carried out with, before anything is changed; null when none. */
    @Nullable
    String commandError(String statusKey, Incident incident) {
        boolean toOperator =
                statusKey.equals(keys.notifyOperatorInWork()) || statusKey.equals(keys.notifyOperatorClosed());
        return toOperator && incident.manual() ? MANUAL_NOTIFY_ERROR : null;
    }

    /**
     * Closing statuses finish the incident at Tracker's time (the resolution time, else when the issue entered its
     * status), any other reopens a finished one. The closure a mail from outside answered by reopening the incident
     * (the issue is not moved yet) does not finish it again; a later closure does.
     */
    OpenClosed openClosed(TrackerIssue issue, Incident incident) {
        if (closed(issue.statusKey())) {
            Instant at = issue.resolvedAt() != null ? issue.resolvedAt() : issue.statusStart();
            Instant answered = incident.reopenedClosureAt();
            if (incident.open() && answered != null && !at.isAfter(answered)) return new OpenClosed.Keep();
            IncidentStatus status =
                    issue.statusKey().equals(keys.closed()) ? IncidentStatus.CLOSED : IncidentStatus.ON_GENERATION;
            return new OpenClosed.Finish(at, status);
        }
        return incident.open() ? new OpenClosed.Keep() : new OpenClosed.Reopen();
    }
}
