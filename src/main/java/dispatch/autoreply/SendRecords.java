package dispatch.autoreply;

import dispatch.incident.IncidentEventKind;
import dispatch.incident.Incidents;
import dispatch.platform.RetryLater;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the incident's events say about an auto-reply's earlier attempts: sent ({@code AUTO_REPLY_SENT}), maybe sent
 * ({@code AUTO_REPLY_SENDING}, committed right before the SMTP send), and when the same auto-reply went out last.
 */
@Component
class SendRecords {

    static final IncidentEventKind SENT = IncidentEventKind.AUTO_REPLY_SENT;
    /** Recorded (committed) right before the SMTP send: a later attempt knows this one may have sent. */
    static final IncidentEventKind SENDING = IncidentEventKind.AUTO_REPLY_SENDING;

    private final JdbcClient jdbc;
    private final Incidents incidents;
    private final AutoReplyProperties settings;
    private final Clock clock;

    SendRecords(JdbcClient jdbc, Incidents incidents, AutoReplyProperties settings, Clock clock) {
        this.jdbc = jdbc;
        this.incidents = incidents;
        this.settings = settings;
        this.clock = clock;
    }

    /** Recorded as sent by an earlier attempt. */
    boolean sent(long incidentId, String messageId) {
        return jdbc.sql("""
                        select exists (select 1 from incident_event where incident_id = :incident and kind = :kind
                                         and detail ->> 'messageId' = :id)
                        """)
                .param("incident", incidentId)
                .param("kind", SENT.name())
                .param("id", messageId)
                .query(Boolean.class)
                .single();
    }

    void sending(long incidentId, String messageId) {
        incidents.recordEvent(incidentId, SENDING, Map.of("messageId", messageId));
    }

    /** The send was refused: nothing went out to wait for. */
    void notSending(long incidentId, String messageId) {
        incidents.forgetEvents(incidentId, SENDING, messageId);
    }

    /**
     * An attempt that got as far as the send and then lost its record (the database went away between the SMTP
     * server's "250" and the commit) may have sent: its copy reaches the mailbox, and intake, a little later. Until
     * {@code copyWait} after that attempt, wait for the copy rather than send a second mail.
     */
    void awaitCopyOfAnEarlierSend(long incidentId, String messageId) {
        jdbc.sql("""
                        select max(at) from incident_event
                        where incident_id = :incident and kind = :kind and detail ->> 'messageId' = :id
                        """)
                .param("incident", incidentId)
                .param("kind", SENDING.name())
                .param("id", messageId)
                .query(Timestamp.class)
                .optional()
                .map(at -> Duration.between(clock.instant(), at.toInstant().plus(settings.copyWait())))
                .filter(SendRecords::positive)
                .ifPresent(left -> {
                    throw new RetryLater(
                            "an earlier attempt may have sent " + messageId + "; waiting for its copy in the mailbox",
                            left);
                });
    }

    /** How long until the same auto-reply may go out again (zero: now). */
    Duration untilRepeatAllowed(long incidentId, String command) {
        if (!positive(settings.repeatAfter())) return Duration.ZERO;
        return jdbc.sql("""
                        select at from incident_event
                        where incident_id = :incident and kind = :kind and detail ->> 'command' = :command
                        order by at desc limit 1
                        """)
                .param("incident", incidentId)
                .param("kind", SENT.name())
                .param("command", command)
                .query(Timestamp.class)
                .optional()
                .map(last -> Duration.between(clock.instant(), last.toInstant().plus(settings.repeatAfter())))
                .filter(SendRecords::positive)
                .orElse(Duration.ZERO);
    }

    static boolean positive(Duration duration) {
        return duration.compareTo(Duration.ZERO) > 0;
    }
}
