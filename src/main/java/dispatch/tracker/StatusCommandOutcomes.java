package dispatch.tracker;

import dispatch.incident.Incidents;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxMessage;
import dispatch.tracker.StatusCommandIssued.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * The end of a status command (reference §7): the issue leaves the "notify" status the dispatcher set for the paired
 * "notified" one (or for "error"), and the incident's history gets the "notified" status once Tracker confirms the
 * move ({@code Ошибка} with the reason at once). Until then the history keeps the pending command, so a later edit of
 * an issue that did not move is not a new command (docs/decisions/0019). The move is outbox work of its own, ordered
 * with the incident's other Tracker work; it happens only while the issue is still in that "notify" status, so a
 * dispatcher who moved it on meanwhile, or a newer error, is not overruled.
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
        boolean failed = done.error() != null;
        String status = failed ? Incidents.ERROR : success.status();
        String statusKey = failed ? keys.error() : success.statusKey();
        String comment = failed ? done.error() : success.comment();
        String droppedNote = done.dropped().isEmpty() ? "" : "\n" + DROPPED + " " + String.join(", ", done.dropped());
        // The history keeps 1024 characters; Tracker gets the whole list.
        String history = truncate(comment + droppedNote, 1024);
        if (failed) incidents.addStatus(done.incidentId(), status, history);
        if (!done.dropped().isEmpty()) {
            comment += "\n\n" + DROPPED + " " + MailMarkdown.escape(String.join(", ", done.dropped()));
        }
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("incident", done.incidentId());
        payload.put("from", List.of(commandKey(done.command())));
        payload.put("to", statusKey);
        payload.put("comment", comment);
        if (!failed) {
            payload.put("history", status);
            payload.put("historyComment", history);
        }
        outbox.enqueue(
                TRANSITION,
                String.join(
                        ":",
                        TRANSITION,
                        String.valueOf(done.incidentId()),
                        done.command().name(),
                        done.commandId(),
                        failed ? "error" : "done"),
                PushTriggers.orderingKey(done.incidentId()),
                payload);
    }

    private static String truncate(String text, int max) {
        return text.length() > max ? text.substring(0, max - 1) + "…" : text;
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
        if (now.equals(to)) { // an earlier attempt moved it, and its answer was lost
            confirmed(incidentId, message);
            return;
        }
        if (!from.contains(now)) {
            log.info("Issue {} left {} for {} before the command's outcome; it stays there", key, from, now);
            return;
        }
        if (client.transition(key, to, message.payload().get("comment").asString())) {
            confirmed(incidentId, message);
        } else {
            log.warn(
                    "Issue {}: the workflow has no transition from {} to {}; add it (README, Tracker queue)",
                    key,
                    from,
                    to);
        }
    }

    /** Tracker moved the issue: now the history says the command was carried out. */
    private void confirmed(long incidentId, OutboxMessage message) {
        JsonNode history = message.payload().get("history");
        if (history != null) {
            incidents.addStatus(
                    incidentId,
                    history.asString(),
                    message.payload().path("historyComment").asString(null));
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
