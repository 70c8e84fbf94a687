package dispatch.tracker;

import dispatch.incident.IncidentOpened;
import dispatch.incident.MailThreaded;
import dispatch.platform.Outbox;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
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

    private final Outbox outbox;
    private final JdbcClient jdbc;

    PushTriggers(Outbox outbox, JdbcClient jdbc) {
        this.outbox = outbox;
        this.jdbc = jdbc;
    }

    @EventListener
    void on(IncidentOpened event) {
        outbox.enqueue(
                CREATE,
                CREATE + ":" + event.incidentId(),
                orderingKey(event.incidentId()),
                Map.of("incident", event.incidentId(), "mail", event.firstMailId()));
    }

    @EventListener
    void on(MailThreaded event) {
        if (isFirstMail(event)) return;
        outbox.enqueue(
                COMMENT,
                COMMENT + ":" + event.mailId() + ":" + event.incidentId(),
                orderingKey(event.incidentId()),
                Map.of("incident", event.incidentId(), "mail", event.mailId()));
    }

    /** The mail that opened the incident is the issue itself (summary, description), not a comment. */
    private boolean isFirstMail(MailThreaded event) {
        return jdbc.sql("select exists (select 1 from outbox where dedup_key = :key and (payload ->> 'mail')::bigint"
                        + " = :mail)")
                .param("key", CREATE + ":" + event.incidentId())
                .param("mail", event.mailId())
                .query(Boolean.class)
                .single();
    }

    static String orderingKey(long incidentId) {
        return "incident:" + incidentId;
    }
}
