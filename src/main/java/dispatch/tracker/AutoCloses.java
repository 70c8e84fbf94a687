package dispatch.tracker;

import dispatch.incident.IncidentStatus;
import dispatch.platform.Outbox;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Closes an issue whose closure notice went unanswered ({@link AutoCloseDue}): a move of the kind a status command's
 * outcome is ({@link StatusCommandOutcomes}), one per notice, ordered with the incident's other Tracker work. Only an
 * issue still in "notified closed" is closed, so a dispatcher who moved it on meanwhile is not overruled; the
 * history records the close with the reason once Tracker made it, and the pull then finishes the incident at
 * Tracker's resolution time.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class AutoCloses {

    static final String DEDUP = "tracker.auto-close";

    private final Outbox outbox;
    private final TrackerProperties.Statuses keys;

    AutoCloses(Outbox outbox, TrackerProperties settings) {
        this.outbox = outbox;
        this.keys = settings.statuses();
    }

    @EventListener
    void on(AutoCloseDue due) {
        outbox.enqueue(
                DEDUP + ":" + due.incidentId() + ":" + due.noticeId(),
                PushTriggers.orderingKey(due.incidentId()),
                new StatusCommandOutcomes.Transition(
                        due.incidentId(),
                        List.of(keys.notifiedOperatorClosed()),
                        keys.closed(),
                        due.comment(),
                        IncidentStatus.CLOSED,
                        due.comment()));
    }
}
