package dispatch.tracker;

import dispatch.incident.IncidentOpened;
import dispatch.incident.MailThreaded;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxPayload;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Turns threading's events into Tracker work in the outbox, in the threading transaction: an incident is never
 * committed without its "create the issue" message, nor a threaded mail without its "comment" message. Both are
 * ordered by incident, so comments follow the issue.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class PushTriggers {

    static final String CREATE = "tracker.create-issue";
    static final String COMMENT = "tracker.comment";

    /** Create the incident's issue from the mail that opened it. */
    @OutboxPayload.Kind(CREATE)
    record CreateIssue(long incident, long mail) implements OutboxPayload {}

    /** Comment a threaded mail on its incident's issue. */
    @OutboxPayload.Kind(COMMENT)
    record CommentMail(long incident, long mail) implements OutboxPayload {}

    private final Outbox outbox;

    PushTriggers(Outbox outbox) {
        this.outbox = outbox;
    }

    @EventListener
    void on(IncidentOpened event) {
        outbox.enqueue(
                CREATE + ":" + event.incidentId(),
                orderingKey(event.incidentId()),
                new CreateIssue(event.incidentId(), event.firstMailId()));
    }

    /** The mail that opened the incident is the issue itself (summary, description), not a comment. */
    @EventListener
    void on(MailThreaded event) {
        if (event.opened()) return;
        outbox.enqueue(
                COMMENT + ":" + event.mailId() + ":" + event.incidentId(),
                orderingKey(event.incidentId()),
                new CommentMail(event.incidentId(), event.mailId()));
    }

    static String orderingKey(long incidentId) {
        return "incident:" + incidentId;
    }
}
