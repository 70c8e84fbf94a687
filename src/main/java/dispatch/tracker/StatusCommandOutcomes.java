package dispatch.tracker;

import com.fasterxml.jackson.annotation.JsonInclude;
import dispatch.incident.Incident;
import dispatch.incident.IncidentStatus;
import dispatch.incident.Incidents;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import dispatch.tracker.StatusCommandIssued.Command;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The end of a status command (docs/domain.md, "Tracker workflow"): the issue leaves the "notify" status the dispatcher set for the paired
 * "notified" one (or for "error"), and the incident's history gets the "notified" status once Tracker confirms the
 * move ({@code Ошибка} with the reason at once). Until then the history keeps the pending command, so a later edit of
 * an issue that did not move is not a new command (docs/decisions/0019). The move is outbox work of its own, ordered
 * with the incident's other Tracker work; it happens only while the issue is still in that "notify" status, so a
 * dispatcher who moved it on meanwhile, or a newer error, is not overruled.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class StatusCommandOutcomes extends TrackerWork<StatusCommandOutcomes.Transition> {

    static final String TRANSITION = "tracker.command-transition";
    static final String DROPPED = "Не отправлено (адреса отброшены):";

    private static final Logger log = LoggerFactory.getLogger(StatusCommandOutcomes.class);

    /** What success looks like for a command: the DB status, the Tracker status key, the comment for both. */
    private record Success(IncidentStatus status, String statusKey, String comment) {}

    /**
     * Move the incident's issue to {@code to} with {@code comment}, if it is still in one of {@code from}; once it
     * moved, record {@code history} with {@code historyComment} (absent for errors, recorded at once, and in rows
     * queued before Tracker's confirmation was waited for).
     */
    @OutboxPayload.Kind(TRANSITION)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Transition(
            long incident,
            List<String> from,
            String to,
            String comment,
            @Nullable IncidentStatus history,
            @Nullable String historyComment)
            implements OutboxPayload {}

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
        boolean failed = done.error() != null;
        IncidentStatus status = failed ? IncidentStatus.ERROR : success.status();
        String statusKey = failed ? keys.error() : success.statusKey();
        String comment = failed ? done.error() : success.comment();
        String droppedNote = done.dropped().isEmpty() ? "" : "\n" + DROPPED + " " + String.join(", ", done.dropped());
        // The history keeps 1024 characters; Tracker gets the whole list.
        String history = truncate(comment + droppedNote, 1024);
        if (failed) incidents.addStatus(done.incidentId(), status, history);
        if (!done.dropped().isEmpty()) {
            comment += "\n\n" + DROPPED + " " + MailMarkdown.escape(String.join(", ", done.dropped()));
        }
        outbox.enqueue(
                String.join(
                        ":",
                        TRANSITION,
                        String.valueOf(done.incidentId()),
                        done.command().name(),
                        done.commandId(),
                        failed ? "error" : "done"),
                PushTriggers.orderingKey(done.incidentId()),
                new Transition(
                        done.incidentId(),
                        List.of(commandKey(done.command())),
                        statusKey,
                        comment,
                        failed ? null : status,
                        failed ? null : history));
    }

    private static String truncate(String text, int max) {
        return text.length() > max ? text.substring(0, max - 1) + "…" : text;
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
        if (now.equals(to)) { // an earlier attempt moved it, and its answer was lost
            confirmed(incidentId, message);
            return;
        }
        if (!from.contains(now)) {
            log.info("Issue {} left {} for {} before the command's outcome; it stays there", key, from, now);
            return;
        }
        if (client.transition(key, to, message.payload().comment())) {
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
    private void confirmed(long incidentId, OutboxMessage<Transition> message) {
        IncidentStatus history = message.payload().history();
        if (history != null)
            incidents.addStatus(incidentId, history, message.payload().historyComment());
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
