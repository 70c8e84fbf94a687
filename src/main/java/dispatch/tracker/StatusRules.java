package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.IncidentEventKind;
import dispatch.incident.Incidents;
import dispatch.tracker.StatusMap.OpenClosed;
import dispatch.tracker.StatusMap.Rule;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Mirrors an issue's Tracker status into the incident's status history as {@link StatusMap} says, each change
 * recorded once: closing and on-generation finish the incident at Tracker's resolution time, any other status
 * reopens a finished one, and the "notify" statuses are commands published as {@link StatusCommandIssued}.
 */
@Component
class StatusRules {

    static final String REOPENED = "Заявка переоткрыта в YandexTracker";

    private final Incidents incidents;
    private final ApplicationEventPublisher events;
    private final StatusMap map;

    StatusRules(Incidents incidents, ApplicationEventPublisher events, TrackerProperties settings) {
        this.incidents = incidents;
        this.events = events;
        this.map = new StatusMap(settings.statuses());
    }

    /** The statuses in which an issue is open (everything but closed and on generation). */
    List<String> openKeys() {
        return map.openKeys();
    }

    boolean closed(String statusKey) {
        return map.closed(statusKey);
    }

    /** The error a status command cannot be carried out with, before anything is changed; null when none. */
    @Nullable
    String commandError(String statusKey, Incident incident) {
        return map.commandError(statusKey, incident);
    }

    /** Finishes or reopens the incident as Tracker says ({@link StatusMap#openClosed}); true when it changed. */
    boolean applyOpenClosed(TrackerIssue issue, Incident incident) {
        OpenClosed change = map.openClosed(issue, incident);
        if (change instanceof OpenClosed.Finish finish) {
            return incidents.finish(incident.id(), finish.at(), finish.status());
        }
        return change instanceof OpenClosed.Reopen && incidents.reopen(incident.id(), REOPENED);
    }

    /** Records the issue's (open) status in the history, publishing a command once per time it is set. */
    boolean applyStatus(TrackerIssue issue, Incident incident) {
        Rule rule = map.rule(issue.statusKey());
        if (rule == null) return false;
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
