package dispatch.tracker;

import dispatch.incident.Incidents;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxMessage;
import dispatch.tracker.StatusCommandIssued.Command;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The end of a status command (reference §7): the incident's history gets the "notified" status (or {@code Ошибка}
 * with the reason), and the issue leaves the "notify" status the dispatcher set for the paired "notified" one (or for
 * "error"). The move is outbox work of its own, ordered with the incident's other Tracker work; it happens only while
 * the issue is still in that "notify" status (or, for a success, in "error"), so a dispatcher who moved it on
 * meanwhile is not overruled.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class StatusCommandOutcomes extends TrackerWork {

    static final String TRANSITION = "tracker.command-transition";
    static final String DROPPED = "Не отправлено (адреса отброшены):";

    private static final Logger log = LoggerFactory.getLogger(StatusCommandOutcomes.class);

    /** What success looks like for a command: the DB status, the Tracker status key, the comment for both. */
    private record Success(String status, String statusKey, String comment) {}

    private final Incidents incidents;
    private final Outbox outbox;
    private final IncidentSnapshots snapshots;
    private final TrackerClient client;
    private final TrackerProperties.Statuses keys;

    StatusCommandOutcomes(
            Incidents incidents,
            Outbox outbox,
            IncidentSnapshots snapshots,
            TrackerClient client,
            TrackerProperties settings) {
        this.incidents = incidents;
        this.outbox = outbox;
        this.snapshots = snapshots;
        this.client = client;
        this.keys = settings.statuses();
    }

    @EventListener
    void on(StatusCommandDone done) {
        Success success = success(done.command());
        String status = done.error() == null ? success.status() : Incidents.ERROR;
        String statusKey = done.error() == null ? success.statusKey() : keys.error();
        String comment = done.error() == null ? success.comment() : done.error();
        String droppedNote = done.dropped().isEmpty() ? "" : "\n" + DROPPED + " " + String.join(", ", done.dropped());
        String history = comment + droppedNote;
        // The history keeps 1024 characters; Tracker gets the whole list. Its time in Tracker is the command's: the
        // report's hand-over and contractor finish are when the dispatcher acted, not when Dispatch got to it.
        incidents.addStatus(
                done.incidentId(),
                status,
                history.length() > 1024 ? history.substring(0, 1023) + "…" : history,
                done.issueUpdatedAt());
        if (!done.dropped().isEmpty()) {
            comment += "\n\n" + DROPPED + " " + MailMarkdown.escape(String.join(", ", done.dropped()));
        }
        // A success after a failure (an admin retried the mail) may move the issue out of the error status we put it
        // in.
        List<String> from = done.error() == null
                ? List.of(commandKey(done.command()), keys.error())
                : List.of(commandKey(done.command()));
        outbox.enqueue(
                TRANSITION,
                String.join(
                        ":",
                        TRANSITION,
                        String.valueOf(done.incidentId()),
                        done.command().name(),
                        done.issueUpdatedAt().toString(),
                        done.error() == null ? "done" : "error"),
                PushTriggers.orderingKey(done.incidentId()),
                Map.of("incident", done.incidentId(), "from", from, "to", statusKey, "comment", comment));
    }

    @Override
    public String kind() {
        return TRANSITION;
    }

    @Override
    void deliver(OutboxMessage message) {
        long incidentId = message.payload().get("incident").asLong();
        List<String> from = new ArrayList<>();
        message.payload().get("from").forEach(k -> from.add(k.asString()));
        String to = message.payload().get("to").asString();
        String key =
                snapshots.byId(incidentId).map(IncidentSnapshot::trackerKey).orElse(null);
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
        if (!client.transition(key, to, message.payload().get("comment").asString())) {
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
                        StatusRules.NOTIFIED_OPERATOR,
                        keys.notifiedOperatorInWork(),
                        "Уведомили оператора о принятии заявки в работу.");
            case OPERATOR_CLOSED ->
                new Success(
                        StatusRules.NOTIFIED_CLOSED,
                        keys.notifiedOperatorClosed(),
                        "Уведомили оператора о закрытии заявки.");
            case CONTRACTOR_IN_WORK ->
                new Success(StatusRules.HANDED_OVER, keys.notifiedContractorInWork(), "Уведомили подрядчика о заявке.");
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
