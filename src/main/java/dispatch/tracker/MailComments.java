package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.Incidents;
import dispatch.mail.HardBounce;
import dispatch.mail.MailOrigin;
import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import dispatch.platform.LogContext;
import dispatch.platform.OutboxMessage;
import dispatch.platform.RetryLater;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Posts a later mail of an incident as one comment ({@link MailMarkdown}, with its attachments). Exactly once: the
 * comment id is stored on the mail; a retry after an attempt whose answer was lost first looks for the comment by
 * the MAC-signed mail-id row every comment carries. Tracker-originated mail is not commented (it is Tracker's own).
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class MailComments extends TrackerWork<PushTriggers.CommentMail> {

    private static final Logger log = LoggerFactory.getLogger(MailComments.class);

    private final TrackerClient client;
    private final Incidents incidents;
    private final Mails mails;
    private final PushedMails pushed;
    private final MailMarkdown markdown;
    private final IssueFields fields;
    private final Duration answerGrace;
    private final TrackerUploads uploadLog;
    private final TrackerProperties settings;
    private final MeterRegistry meters;

    MailComments(
            TrackerClient client,
            Incidents incidents,
            Mails mails,
            PushedMails pushed,
            MailMarkdown markdown,
            IssueFields fields,
            TrackerProperties settings,
            TrackerUploads uploadLog,
            MeterRegistry meters) {
        this.client = client;
        this.incidents = incidents;
        this.mails = mails;
        this.pushed = pushed;
        this.markdown = markdown;
        this.fields = fields;
        this.answerGrace = settings.readTimeout().multipliedBy(2);
        this.uploadLog = uploadLog;
        this.settings = settings;
        this.meters = meters;
    }

    @Override
    public Class<PushTriggers.CommentMail> payloadType() {
        return PushTriggers.CommentMail.class;
    }

    @Override
    void deliver(OutboxMessage<PushTriggers.CommentMail> message) {
        long mailId = message.payload().mail();
        long incidentId = message.payload().incident();
        StoredMail mail = mails.byId(mailId).orElseThrow();
        if (mail.origin() == MailOrigin.TRACKER) return;
        if (mail.incidentId() == null || mail.incidentId() != incidentId) {
            log.info("Mail {} moved away from incident {} before it was commented", mailId, incidentId);
            return;
        }
        Incident incident = incidents.byId(incidentId).orElseThrow();
        try (var logged = LogContext.put(LogContext.INCIDENT, incident.code())) {
            comment(message, mail, incident);
        }
    }

    private void comment(OutboxMessage<PushTriggers.CommentMail> message, StoredMail mail, Incident incident) {
        long mailId = mail.id();
        long incidentId = incident.id();
        String key = incident.trackerKey();
        if (key == null) {
            log.info(
                    "Incident {} has no Tracker issue (excluded region): mail {} not commented",
                    incident.code(),
                    mailId);
            return;
        }
        if (pushed.commentOf(mailId).isPresent()) {
            markNewMessage(key, mail);
            return;
        }
        if (message.attempt() > 1) {
            Optional<TrackerComment> earlier = client.comments(key).stream()
                    .filter(c -> c.text().contains(markdown.marker(mailId)))
                    .findFirst();
            if (earlier.isPresent()) {
                pushed.recordComment(mailId, earlier.get().id());
                markNewMessage(key, mail);
                return;
            }
        }
        Uploads uploads =
                Uploads.of(message.dedupKey(), mails.attachments(mailId), client, uploadLog, settings.maxUploads());
        boolean newSender = newSender(mail, incidentId);
        Optional<HardBounce> bounce = mails.hardBounce(mailId);
        List<String> warnings = new ArrayList<>();
        if (newSender) warnings.add(MailMarkdown.NEW_SENDER);
        bounce.ifPresent(b -> warnings.add(
                MailMarkdown.BOUNCED.formatted(MailMarkdown.escape(b.address()), MailMarkdown.escape(b.status()))));
        long comment;
        try {
            comment = client.comment(
                    key,
                    markdown.comment(mail, mails.recipients(mailId), uploads.notUploaded(), warnings),
                    uploads.ids());
        } catch (TrackerException e) {
            if (e.status() == 0 && e.retryAfter().isEmpty()) {
                // The answer was lost: Tracker may still be applying the request. Look for it only after Tracker
                // has certainly finished with it, or the check could miss a comment that is about to appear.
                throw new RetryLater(e.getMessage(), answerGrace, true);
            }
            throw e;
        }
        pushed.recordComment(mailId, comment);
        if (newSender)
            meters.counter("dispatch.tracker.comments.warnings", "kind", "new-sender")
                    .increment();
        if (bounce.isPresent())
            meters.counter("dispatch.tracker.comments.warnings", "kind", "bounced")
                    .increment();
        markNewMessage(key, mail);
    }

    /**
     * A mail that joined by a code in its subject, from an address that took part in none of the incident's earlier
     * mails: anyone can type a code, so the dispatcher is told (carriers do forward from other addresses).
     */
    private boolean newSender(StoredMail mail, long incidentId) {
        return mail.matchMethod() == MatchMethod.SUBJECT_CODE
                && mail.fromAddress() != null
                && !mails.tookPartBefore(incidentId, mail.fromAddress(), mail.id());
    }

    /** A mail from outside sets "new message" so the dispatcher sees it; the dispatcher clears it. */
    private void markNewMessage(String key, StoredMail mail) {
        if (mail.fromOutside()) {
            client.patch(key, Map.of(fields.keys().newMessage(), IssueFields.NEW_MESSAGE));
        }
    }
}
