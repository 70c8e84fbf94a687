package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.IncidentEventKind;
import dispatch.incident.IncidentStatus;
import dispatch.incident.Incidents;
import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Mirrors an issue's Tracker status into the incident's status history (docs/domain.md, "Tracker workflow"), each change
 * recorded once: closing and on-generation finish the incident at Tracker's resolution time, any other status
 * reopens a finished one, and the "notify" statuses are commands published as {@link StatusCommandIssued}.
 */
@Component
class StatusRules {

    static final String MANUAL_NOTIFY_ERROR =
            "Нельзя отправить автоматическое уведомление заявителю для заявки, созданной вручную.";
    static final String REOPENED = "Заявка переоткрыта в YandexTracker";
    static final String ACCEPTED = "Диспетчер принял работы в YandexTracker";

    /** A DB status, or a command and the status that records it as pending. */
    private record Rule(
            IncidentStatus status,
            @Nullable String comment,
            @Nullable Command command) {}

    private final Incidents incidents;
    private final ApplicationEventPublisher events;
    private final TrackerProperties.Statuses keys;
    private final Map<String, Rule> rules = new HashMap<>();

    StatusRules(Incidents incidents, ApplicationEventPublisher events, TrackerProperties settings) {
        this.incidents = incidents;
        this.events = events;
        this.keys = settings.statuses();
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
     * Finishes or reopens the incident as Tracker says; true when the incident changed. The finish time is Tracker's:
     * the resolution time, else when the issue entered its status. The closure a mail from outside answered by
     * reopening the incident (the issue is not moved yet) does not finish it again; a later closure does.
     */
    boolean applyOpenClosed(TrackerIssue issue, Incident incident) {
        if (closed(issue.statusKey())) {
            Instant at = issue.resolvedAt() != null ? issue.resolvedAt() : issue.statusStart();
            Instant answered = incident.reopenedClosureAt();
            if (incident.open() && answered != null && !at.isAfter(answered)) return false;
            IncidentStatus status =
                    issue.statusKey().equals(keys.closed()) ? IncidentStatus.CLOSED : IncidentStatus.ON_GENERATION;
            return incidents.finish(incident.id(), at, status);
        }
        return !incident.open() && incidents.reopen(incident.id(), REOPENED);
    }

    /** Records the issue's (open) status in the history, publishing a command once per time it is set. */
    boolean applyStatus(TrackerIssue issue, Incident incident) {
        Rule rule = rules.get(issue.statusKey());
        if (rule == null || closed(issue.statusKey())) return false;
        if (!incidents.addStatus(incident.id(), rule.status(), rule.comment(), issue.statusStart())) return false;
        if (rule.command() != null) {
            // The command's identity is Dispatch's own: Tracker's updatedAt changes with every later edit.
            String commandId = UUID.randomUUID().toString();
            incidents.recordEvent(
                    incident.id(),
                    IncidentEventKind.STATUS_COMMAND,
                    Map.of(
                            "command", rule.command().name(),
                            "commandId", commandId,
                            "trackerKey", issue.key(),
                            "issueUpdatedAt", issue.updatedAt().toString()));
            events.publishEvent(new StatusCommandIssued(incident.id(), issue.key(), rule.command(), commandId));
        }
        return true;
    }
}
