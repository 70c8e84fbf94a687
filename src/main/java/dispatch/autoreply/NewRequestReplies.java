package dispatch.autoreply;

import dispatch.incident.ClosedIncidentMailed;
import dispatch.incident.IncidentEventKind;
import dispatch.incident.Incidents;
import dispatch.mail.MailSender;
import dispatch.mail.Mails;
import dispatch.mail.OwnMessageIds;
import dispatch.mail.StoredMail;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxHandler;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * {@code DISPATCH_INCIDENT_AFTERCLOSING=ASK_FOR_NEW_REQUEST} (docs/sla.md): a mail from outside on an incident closed
 * within the reopen window is answered with a request to write a new one, at most {@link #MAX_PER_INCIDENT} times per
 * incident. Threading publishes the event only for mail from outside that is not automatic, so a robot is never
 * answered. Each answer is outbox work with the mail's id as its dedup key; its Message-ID is derived from the outbox
 * message, and a retry whose mail already reached the dispatch mailbox (always in copy) does not send again.
 */
@Component
class NewRequestReplies implements OutboxHandler<NewRequestReplies.AskForNewRequest> {

    static final String KIND = "autoreply.ask-new-request";
    static final IncidentEventKind ASKED = IncidentEventKind.NEW_REQUEST_ASKED;
    static final int MAX_PER_INCIDENT = 2;
    static final String TEXT = """
            Здравствуйте!

            Заявка %s закрыта. Если проблема не решена или возникла новая, пожалуйста, отправьте новое письмо \
            (не ответом на это и без номера заявки в теме): по нему будет заведена новая заявка.

            Это письмо отправлено автоматически.""";

    /** Answer the mail {@code mail} of the closed incident {@code incident}. */
    @OutboxPayload.Kind(KIND)
    record AskForNewRequest(long incident, String code, long mail) implements OutboxPayload {}

    private static final Logger log = LoggerFactory.getLogger(NewRequestReplies.class);

    private final Outbox outbox;
    private final Incidents incidents;
    private final Mails mails;
    private final MailSender sender;
    private final OwnMessageIds messageIds;

    NewRequestReplies(Outbox outbox, Incidents incidents, Mails mails, MailSender sender, OwnMessageIds messageIds) {
        this.outbox = outbox;
        this.incidents = incidents;
        this.mails = mails;
        this.sender = sender;
        this.messageIds = messageIds;
    }

    /** In the threading transaction (one mail at a time under its lock): counted when queued, so never a third. */
    @EventListener
    void on(ClosedIncidentMailed event) {
        if (incidents.eventCount(event.incidentId(), ASKED) >= MAX_PER_INCIDENT) return;
        incidents.recordEvent(event.incidentId(), ASKED, Map.of("mail", event.mailId()));
        outbox.enqueue(
                KIND + ":" + event.mailId(),
                // Its own order: a failed answer never holds up the incident's status command mails.
                "autoreply:new-request:" + event.incidentId(),
                new AskForNewRequest(event.incidentId(), event.code(), event.mailId()));
    }

    @Override
    public Class<AskForNewRequest> payloadType() {
        return AskForNewRequest.class;
    }

    @Override
    public void handle(OutboxMessage<AskForNewRequest> message) throws Exception {
        StoredMail mail = mails.byId(message.payload().mail()).orElseThrow();
        if (mail.fromAddress() == null) return;
        String messageId = messageIds.generate(message.payload().code(), AutoReplies.nonce(message.id()));
        if (mails.isStored(messageId)) return; // an earlier attempt sent it
        String subject = mail.subject() == null ? "" : mail.subject();
        sender.send(new MailSender.Outgoing(
                messageId,
                List.of(mail.fromAddress()),
                List.of(sender.from()),
                subject.regionMatches(true, 0, "Re:", 0, 3) ? subject : "Re: " + subject,
                TEXT.formatted(message.payload().code()),
                mail.messageId(),
                List.of(mail.messageId())));
        log.info(
                "Asked {} for a new request: incident {} is closed (mail {})",
                mail.fromAddress(),
                message.payload().code(),
                mail.id());
    }
}
