package dispatch.autoreply;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dispatch.autoreply.Drafts.Draft;
import dispatch.incident.Incidents;
import dispatch.mail.MailProperties;
import dispatch.mail.MailSender;
import dispatch.mail.Mails;
import dispatch.mail.OwnMessageIds;
import dispatch.platform.LogContext;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxDeliveryFailed;
import dispatch.platform.OutboxHandler;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import dispatch.platform.RetryLater;
import dispatch.tracker.StatusCommandDone;
import dispatch.tracker.StatusCommandIssued;
import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The three auto-replies (docs/domain.md, "Auto-replies"): a dispatcher's status command becomes outbox work in the reconcile
 * transaction, the mail goes out over SMTP once, and the outcome goes back to Tracker as {@link StatusCommandDone}.
 *
 * <p>Once: the mail's Message-ID is derived from the outbox message, and a sent mail is recorded on the incident
 * ({@code AUTO_REPLY_SENT}) together with the outcome. A retry after a crash between the send and that record finds
 * the mail by its Message-ID among the stored mail (the dispatch mailbox is always in copy) and does not send again;
 * when it comes before intake stored that copy, it waits for it ({@code AUTO_REPLY_SENDING}, up to {@code copyWait}).
 *
 * <p>Loud: a permanent SMTP failure is reported at once, a transient one after {@code sendAttempts} attempts a few
 * minutes apart; either way the outbox message ends, so it holds nothing up (docs/decisions/0019).
 */
@Component
class AutoReplies implements OutboxHandler<AutoReplies.Send> {

    static final String KIND = "autoreply.send";
    static final String DISABLED = "Отправка почты выключена в настройках Dispatch.";

    private static final Logger log = LoggerFactory.getLogger(AutoReplies.class);

    /**
     * Send the auto-reply a dispatcher's command asks for. Messages queued before commands had ids of their own got
     * one from their {@code issueUpdatedAt} (V65).
     */
    @OutboxPayload.Kind(KIND)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Send(long incident, Command command, String commandId) implements OutboxPayload {}

    private final Drafts drafts;
    private final Mails mails;
    private final MailSender sender;
    private final OwnMessageIds messageIds;
    private final MailProperties mailSettings;
    private final Outbox outbox;
    private final Incidents incidents;
    private final SendRecords records;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final AutoReplyProperties settings;

    AutoReplies(
            Drafts drafts,
            Mails mails,
            MailSender sender,
            OwnMessageIds messageIds,
            MailProperties mailSettings,
            Outbox outbox,
            Incidents incidents,
            SendRecords records,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            AutoReplyProperties settings) {
        this.drafts = drafts;
        this.mails = mails;
        this.sender = sender;
        this.messageIds = messageIds;
        this.mailSettings = mailSettings;
        this.outbox = outbox;
        this.incidents = incidents;
        this.records = records;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
    }

    /**
     * In the reconcile transaction: the command is kept with the status that records it. Each command is a queue of
     * its own: one that failed for good never holds back the next.
     */
    @EventListener
    void on(StatusCommandIssued command) {
        String key = String.join(
                ":",
                "autoreply",
                String.valueOf(command.incidentId()),
                command.command().name(),
                command.commandId());
        outbox.enqueue(key, key, new Send(command.incidentId(), command.command(), command.commandId()));
    }

    @Override
    public Class<Send> payloadType() {
        return Send.class;
    }

    @Override
    public void handle(OutboxMessage<Send> message) throws Exception {
        Send job = message.payload();
        if (!mailSettings.enabled()) {
            done(job, null, null, List.of(), DISABLED);
            return;
        }
        Draft draft = drafts.draft(job.incident(), job.command(), sender.from());
        if (draft.error() != null) {
            done(job, null, null, draft.dropped(), draft.error());
            return;
        }
        try (var logged = LogContext.put(LogContext.INCIDENT, draft.incidentCode())) {
            send(message, job, draft);
        }
    }

    private void send(OutboxMessage<Send> message, Send job, Draft draft) throws Exception {
        String messageId = messageIds.generate(draft.incidentCode(), nonce(message.id()));
        boolean sentBefore = records.sent(job.incident(), messageId) || mails.isStored(messageId);
        Duration wait = sentBefore
                ? Duration.ZERO
                : records.untilRepeatAllowed(job.incident(), job.command().name());
        if (SendRecords.positive(wait)) {
            done(job, null, null, List.of(), Texts.tooSoon(job.command(), wait));
            return;
        }
        List<String> dropped = new ArrayList<>(draft.dropped());
        if (sentBefore) {
            log.info("Auto-reply {} for incident {} was sent by an earlier attempt", messageId, job.incident());
        } else {
            records.awaitCopyOfAnEarlierSend(job.incident(), messageId);
            records.sending(job.incident(), messageId);
            List<MailSender.Refused> refused;
            try {
                refused = sender.send(new MailSender.Outgoing(
                        messageId,
                        draft.to(),
                        draft.cc(),
                        draft.subject(),
                        draft.text(),
                        draft.inReplyTo(),
                        draft.inReplyTo() == null ? List.of() : List.of(draft.inReplyTo())));
            } catch (MailSender.NotSentException e) {
                records.notSending(job.incident(), messageId); // refused or unreachable: nothing went out to wait for
                failed(message, job, SmtpFailure.of(e));
                return;
            }
            // Any other failure may come after the server took the mail (its answer lost or late): it is thrown on,
            // the record of this attempt stays, and the retry waits for the mail's copy instead of sending it again.
            refused.forEach(r -> dropped.add(r.address() + " (сервер отказал: " + r.reply() + ")"));
            log.info(
                    "Auto-reply {} ({}) for incident {} sent to {}; refused {}",
                    messageId,
                    job.command(),
                    job.incident(),
                    draft.to(),
                    refused);
            if (refusedEveryone(draft, refused)) {
                done(
                        job,
                        null,
                        null,
                        dropped,
                        Texts.failed(job.command(), refused.get(0).reply()));
                return;
            }
        }
        done(job, messageId, draft, dropped, null);
    }

    /**
     * A permanent failure, or a transient one on the last attempt, is the dispatcher's to know now; a transient one
     * before that is tried again after {@code sendRetryDelay}, doubled per attempt.
     */
    private void failed(OutboxMessage<Send> message, Send job, SmtpFailure failure) {
        if (!failure.permanent() && message.attempt() < settings.sendAttempts()) {
            Duration wait = settings.sendRetryDelay().multipliedBy(1L << Math.min(message.attempt() - 1, 20));
            log.warn(
                    "Auto-reply for incident {} not sent (attempt {} of {}), next in {}: {}",
                    job.incident(),
                    message.attempt(),
                    settings.sendAttempts(),
                    wait,
                    failure.reason());
            throw new RetryLater(failure.reason(), wait, true);
        }
        log.warn(
                "Auto-reply for incident {} failed ({}): {}",
                job.incident(),
                failure.permanent() ? "permanent" : "after " + message.attempt() + " attempts",
                failure.reason());
        done(job, null, null, List.of(), Texts.failed(job.command(), failure.reason()));
    }

    /** Nobody the mail was for got it (the dispatch mailbox's own copy does not count). */
    private static boolean refusedEveryone(Draft draft, List<MailSender.Refused> refused) {
        return !refused.isEmpty()
                && draft.to().stream()
                        .allMatch(
                                to -> refused.stream().anyMatch(r -> r.address().equalsIgnoreCase(to)));
    }

    /**
     * The outbox gave up on a message this handler did not end itself (the database, not SMTP, kept failing): the
     * dispatcher is told in Tracker that the mail did not go out.
     */
    @EventListener
    void on(OutboxDeliveryFailed failed) {
        if (!(failed.payload() instanceof Send job)) return;
        done(job, null, null, List.of(), Texts.failed(job.command(), failed.lastError()));
    }

    /** Records the mail sent (when one was) and publishes the outcome, in one transaction. */
    private void done(
            Send job, @Nullable String messageId, @Nullable Draft sent, List<String> dropped, @Nullable String error) {
        transaction.executeWithoutResult(tx -> {
            if (messageId != null && sent != null && !records.sent(job.incident(), messageId)) {
                incidents.recordEvent(
                        job.incident(),
                        SendRecords.SENT,
                        Map.of(
                                "messageId", messageId,
                                "command", job.command().name(),
                                "to", sent.to(),
                                "cc", sent.cc(),
                                "dropped", dropped,
                                "subject", sent.subject()));
            }
            events.publishEvent(
                    new StatusCommandDone(job.incident(), job.command(), job.commandId(), error, List.copyOf(dropped)));
        });
    }

    /** The Message-ID's nonce: the outbox message's id, so every attempt sends the same mail. */
    static String nonce(long outboxId) {
        String id = Long.toString(outboxId, 36);
        return "ar" + "0".repeat(Math.max(0, 6 - id.length())) + id;
    }
}
