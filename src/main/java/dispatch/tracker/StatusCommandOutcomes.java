package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.IncidentStatus;
import dispatch.incident.Incidents;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import dispatch.tracker.StatusCommandIssued.Command;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The end of a status command (docs/domain.md, "Tracker workflow"): the incident's history gets the "notified" status (or {@code Ошибка}
 * with the reason), and the issue leaves the "notify" status the dispatcher set for the paired "notified" one (or for
 * "error"). The move is outbox work of its own, ordered with the incident's other Tracker work; it happens only while
 * the issue is still in that "notify" status (or, for a success, in "error"), so a dispatcher who moved it on
 * meanwhile is not overruled.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class StatusCommandOutcomes extends TrackerWork<StatusCommandOutcomes.Transition> {

    static final String TRANSITION = "tracker.command-transition";
    static final String DROPPED = "Не отправлено (адреса отброшены):";

    private static final Logger log = LoggerFactory.getLogger(StatusCommandOutcomes.class);

    /** What success looks like for a command: the DB status, the Tracker status key, the comment for both. */
    private record Success(IncidentStatus status, String statusKey, String comment) {}

    /** Move the incident's issue to {@code to} with {@code comment}, if it is still in one of {@code from}. */
    @OutboxPayload.Kind(TRANSITION)
    record Transition(long incident, List<String> from, String to, String comment) implements OutboxPayload {}

    private final Incidents incidents;
    private final Outbox outbox;
    private final TrackerClient client;
    private final TrackerProperties.Statuses keys;

    StatusCommandOutcomes(Incidents incidents, Outbox outbox, TrackerClient client, TrackerProperties settings) {
        this.incidents = incidents;
        this.outbox = outbox;
        this.client = client;
        this.keys = settings.statuses();
    }

    @EventListener
    void on(StatusCommandDone done) {
        Success success = success(done.command());
        IncidentStatus status = done.error() == null ? success.status() : IncidentStatus.ERROR;
        String statusKey = done.error() == null ? success.statusKey() : keys.error();
        String comment = done.error() == null ? success.comment() : done.error();
        String droppedNote = done.dropped().isEmpty() ? "" : "\n" + DROPPED + " " + String.join(", ", done.dropped());
        String history = comment + droppedNote;
        // The history keeps 1024 characters; Tracker gets the whole list.
        incidents.addStatus(
                done.incidentId(), status, history.length() > 1024 ? history.substring(0, 1023) + "…" : history);
        if (!done.dropped().isEmpty()) {
            comment += "\n\n" + DROPPED + " " + MailMarkdown.escape(String.join(", ", done.dropped()));
        }
        // A success after a failure (an admin retried the mail) may move the issue out of the error status we put it
        // in.
        List<String> from = done.error() == null
                ? List.of(commandKey(done.command()), keys.error())
                : List.of(commandKey(done.command()));
        outbox.enqueue(
                String.join(
                        ":",
                        TRANSITION,
                        String.valueOf(done.incidentId()),
                        done.command().name(),
                        done.issueUpdatedAt().toString(),
                        done.error() == null ? "done" : "error"),
                PushTriggers.orderingKey(done.incidentId()),
                new Transition(done.incidentId(), from, statusKey, comment));
    }

    @Override
    public Class<Transition> payloadType() {
        return Transition.class;
    }

    @Override
    void deliver(OutboxMessage<Transition> message) {
        long incidentId = message.payload().incident();
        List<String> from = message.payload().from();
        String to = message.payload().to();
        String key = incidents.byId(incidentId).map(Incident::trackerKey).orElse(null);
        if (key == null) {
            log.warn("Incident {} has no Tracker issue; its status command outcome ({}) is not shown", incidentId, to);
            return;
        }
        String now = client.get(key).statusKey();
        if (now.equals(to)) return; // an earlier attempt moved it, and its answer was lost
        if (!from.contains(now)) {
            log.info("Issue {} left {} for {} before the command's outcome; it stays there", key, from, now);
            return;
        }
        if (!client.transition(key, to, message.payload().comment())) {
            log.warn(
                    "Issue {}: the workflow has no transition from {} to {}; add it (README, Tracker queue)",
                    key,
                    from,
                    to);
        }
    }

    private Success success(Command command) {
        return switch (command) {
            case OPERATOR_IN_WORK ->
                new Success(
                        IncidentStatus.NOTIFIED_OPERATOR,
                        keys.notifiedOperatorInWork(),
                        "Уведомили оператора о принятии заявки в работу.");
            case OPERATOR_CLOSED ->
                new Success(
                        IncidentStatus.NOTIFIED_CLOSED,
                        keys.notifiedOperatorClosed(),
                        "Уведомили оператора о закрытии заявки.");
            case CONTRACTOR_IN_WORK ->
                new Success(
                        IncidentStatus.HANDED_OVER, keys.notifiedContractorInWork(), "Уведомили подрядчика о заявке.");
        };
    }

    private String commandKey(Command command) {
        return switch (command) {
            case OPERATOR_IN_WORK -> keys.notifyOperatorInWork();
            case OPERATOR_CLOSED -> keys.notifyOperatorClosed();
            case CONTRACTOR_IN_WORK -> keys.notifyContractorInWork();
        };
    }
}
