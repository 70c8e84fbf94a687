package dispatch.tracker;

import dispatch.incident.Incidents;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxMessage;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Closes an issue whose closure notice went unanswered ({@link AutoCloseDue}): outbox work of its own, one per
 * notice, ordered with the incident's other Tracker work. Only an issue still in "notified closed" is closed, so a
 * dispatcher who moved it on meanwhile is not overruled; the history records the close with the reason, and the
 * pull then finishes the incident at Tracker's resolution time.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class AutoCloses extends TrackerWork {

    static final String KIND = "tracker.auto-close";

    private static final Logger log = LoggerFactory.getLogger(AutoCloses.class);

    private final Incidents incidents;
    private final Outbox outbox;
    private final IncidentSnapshots snapshots;
    private final TrackerClient client;
    private final TrackerProperties.Statuses keys;

    AutoCloses(
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
    void on(AutoCloseDue due) {
        outbox.enqueue(
                KIND,
                KIND + ":" + due.incidentId() + ":" + due.noticeId(),
                PushTriggers.orderingKey(due.incidentId()),
                Map.of("incident", due.incidentId(), "comment", due.comment()));
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    void deliver(OutboxMessage message) {
        long incidentId = message.payload().get("incident").asLong();
        String comment = message.payload().get("comment").asString();
        String key =
                snapshots.byId(incidentId).map(IncidentSnapshot::trackerKey).orElse(null);
        if (key == null) return;
        String now = client.get(key).statusKey();
        if (now.equals(keys.closed())) {
            incidents.addStatus(incidentId, Incidents.CLOSED, comment); // an earlier attempt closed it
            return;
        }
        if (!now.equals(keys.notifiedOperatorClosed())) {
            log.info("Issue {} left {} for {}: not closed automatically", key, keys.notifiedOperatorClosed(), now);
            return;
        }
        if (client.transition(key, keys.closed(), comment)) {
            incidents.addStatus(incidentId, Incidents.CLOSED, comment);
        } else {
            log.warn(
                    "Issue {}: the workflow has no transition from {} to {}; not closed automatically",
                    key,
                    now,
                    keys.closed());
        }
    }
}
