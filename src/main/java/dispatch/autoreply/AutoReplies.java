package dispatch.autoreply;

import dispatch.autoreply.Drafts.Draft;
import dispatch.incident.Incidents;
import dispatch.mail.MailProperties;
import dispatch.mail.MailSender;
import dispatch.mail.Mails;
import dispatch.mail.OwnMessageIds;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxDeliveryFailed;
import dispatch.platform.OutboxHandler;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import dispatch.platform.RetryLater;
import dispatch.tracker.StatusCommandDone;
import dispatch.tracker.StatusCommandIssued;
import dispatch.tracker.StatusCommandIssued.Command;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
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
 */
@Component
class AutoReplies implements OutboxHandler<AutoReplies.Send> {

    static final String KIND = "autoreply.send";
    static final String SENT = "AUTO_REPLY_SENT";
    /** Recorded (committed) right before the SMTP send: a later attempt knows this one may have sent. */
    static final String SENDING = "AUTO_REPLY_SENDING";

    private static final Logger log = LoggerFactory.getLogger(AutoReplies.class);

    /** Send the auto-reply a dispatcher's command asks for. */
    @OutboxPayload.Kind(KIND)
    record Send(long incident, Command command, Instant issueUpdatedAt) implements OutboxPayload {}

    private final Drafts drafts;
    private final Mails mails;
    private final MailSender sender;
    private final OwnMessageIds messageIds;
    private final MailProperties mailSettings;
    private final Outbox outbox;
    private final Incidents incidents;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final AutoReplyProperties settings;
    private final Clock clock;

    AutoReplies(
            Drafts drafts,
            Mails mails,
            MailSender sender,
            OwnMessageIds messageIds,
            MailProperties mailSettings,
            Outbox outbox,
            Incidents incidents,
            JdbcClient jdbc,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            AutoReplyProperties settings,
            Clock clock) {
        this.drafts = drafts;
        this.mails = mails;
        this.sender = sender;
        this.messageIds = messageIds;
        this.mailSettings = mailSettings;
        this.outbox = outbox;
        this.incidents = incidents;
        this.jdbc = jdbc;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
        this.clock = clock;
    }

    /** In the reconcile transaction: the command is kept with the status that records it. */
    @EventListener
    void on(StatusCommandIssued command) {
        outbox.enqueue(
                String.join(
                        ":",
                        "autoreply",
                        String.valueOf(command.incidentId()),
                        command.command().name(),
                        command.issueUpdatedAt().toString()),
                "autoreply:incident:" + command.incidentId(),
                new Send(command.incidentId(), command.command(), command.issueUpdatedAt()));
    }

    @Override
    public Class<Send> payloadType() {
        return Send.class;
    }

    @Override
    public void handle(OutboxMessage<Send> message) throws Exception {
        long incidentId = message.payload().incident();
        Command command = message.payload().command();
        Instant issueUpdatedAt = message.payload().issueUpdatedAt();
        if (!mailSettings.enabled()) {
            done(
                    incidentId,
                    command,
                    issueUpdatedAt,
                    null,
                    null,
                    List.of(),
                    "Отправка почты выключена в настройках Dispatch.");
            return;
        }
        Draft draft = drafts.draft(incidentId, command, sender.from());
        if (draft.error() != null) {
            done(incidentId, command, issueUpdatedAt, null, null, draft.dropped(), draft.error());
            return;
        }
        String messageId = messageIds.generate(draft.incidentCode(), nonce(message.id()));
        boolean sentBefore = recorded(incidentId, messageId) || mails.isStored(messageId);
        Duration wait = sentBefore ? Duration.ZERO : untilRepeatAllowed(incidentId, command);
        if (positive(wait)) {
            done(incidentId, command, issueUpdatedAt, null, null, List.of(), tooSoon(command, wait));
            return;
        }
        if (sentBefore) {
            log.info("Auto-reply {} for incident {} was sent by an earlier attempt", messageId, incidentId);
        } else {
            awaitCopyOfAnEarlierSend(incidentId, messageId);
            incidents.recordEvent(incidentId, SENDING, Map.of("messageId", messageId));
            try {
                sender.send(new MailSender.Outgoing(
                        messageId,
                        draft.to(),
                        draft.cc(),
                        draft.subject(),
                        draft.text(),
                        draft.inReplyTo(),
                        draft.inReplyTo() == null ? List.of() : List.of(draft.inReplyTo())));
            } catch (Exception e) {
                forgetSending(incidentId, messageId); // refused: nothing went out to wait for
                throw e;
            }
            log.info("Auto-reply {} ({}) for incident {} sent to {}", messageId, command, incidentId, draft.to());
        }
        done(incidentId, command, issueUpdatedAt, messageId, draft, draft.dropped(), null);
    }

    /**
     * An attempt that got as far as the send and then lost its record (the database went away between the SMTP
     * server's "250" and the commit) may have sent: its copy reaches the mailbox, and intake, a little later. Until
     * {@code copyWait} after that attempt, wait for the copy rather than send a second mail.
     */
    private void awaitCopyOfAnEarlierSend(long incidentId, String messageId) {
        jdbc.sql("""
                        select max(at) from incident_event
                        where incident_id = :incident and kind = :kind and detail ->> 'messageId' = :id
                        """)
                .param("incident", incidentId)
                .param("kind", SENDING)
                .param("id", messageId)
                .query(Timestamp.class)
                .optional()
                .map(at -> Duration.between(clock.instant(), at.toInstant().plus(settings.copyWait())))
                .filter(AutoReplies::positive)
                .ifPresent(left -> {
                    throw new RetryLater(
                            "an earlier attempt may have sent " + messageId + "; waiting for its copy in the mailbox",
                            left);
                });
    }

    private void forgetSending(long incidentId, String messageId) {
        incidents.forgetEvents(incidentId, SENDING, messageId);
    }

    /** How long until the same auto-reply may go out again (zero: now). */
    private Duration untilRepeatAllowed(long incidentId, Command command) {
        if (!positive(settings.repeatAfter())) return Duration.ZERO;
        return jdbc.sql("""
                        select at from incident_event
                        where incident_id = :incident and kind = :kind and detail ->> 'command' = :command
                        order by at desc limit 1
                        """)
                .param("incident", incidentId)
                .param("kind", SENT)
                .param("command", command.name())
                .query(Timestamp.class)
                .optional()
                .map(last -> Duration.between(clock.instant(), last.toInstant().plus(settings.repeatAfter())))
                .filter(AutoReplies::positive)
                .orElse(Duration.ZERO);
    }

    private static boolean positive(Duration duration) {
        return duration.compareTo(Duration.ZERO) > 0;
    }

    /** The refusal's texts, with the real wait (the old service always said 0 seconds). */
    private static String tooSoon(Command command, Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        String what = switch (command) {
            case OPERATOR_IN_WORK -> "Уведомление о принятии работ недавно было отправлено заявителю.";
            case OPERATOR_CLOSED -> "Уведомление о закрытии работ уже было отправлено заявителю.";
            case CONTRACTOR_IN_WORK -> "Письмо по заявке недавно было отправлено подрядчику.";
        };
        return what + " Попробуйте снова через " + seconds + " секунд.";
    }

    /** The last attempt failed: the dispatcher is told in Tracker that the mail did not go out. */
    @EventListener
    void on(OutboxDeliveryFailed failed) {
        if (!(failed.payload() instanceof Send send)) return;
        Command command = send.command();
        String text = switch (command) {
            case OPERATOR_IN_WORK -> "Не удалось уведомить оператора о принятии заявки в работу.";
            case OPERATOR_CLOSED -> "Не удалось уведомить оператора о закрытии заявки.";
            case CONTRACTOR_IN_WORK -> "Не удалось уведомить подрядчика о заявке.";
        };
        String reason = failed.lastError() == null ? "" : " Ошибка: " + truncate(failed.lastError(), 300);
        done(send.incident(), command, send.issueUpdatedAt(), null, null, List.of(), text + reason);
    }

    /** Records the mail sent (when one was) and publishes the outcome, in one transaction. */
    private void done(
            long incidentId,
            Command command,
            Instant issueUpdatedAt,
            @Nullable String messageId,
            @Nullable Draft sent,
            List<String> dropped,
            @Nullable String error) {
        transaction.executeWithoutResult(tx -> {
            if (messageId != null && sent != null && !recorded(incidentId, messageId)) {
                incidents.recordEvent(
                        incidentId,
                        SENT,
                        Map.of(
                                "messageId", messageId,
                                "command", command.name(),
                                "to", sent.to(),
                                "cc", sent.cc(),
                                "dropped", sent.dropped(),
                                "subject", sent.subject()));
            }
            events.publishEvent(new StatusCommandDone(incidentId, command, issueUpdatedAt, error, dropped));
        });
    }

    /** Recorded as sent by an earlier attempt. */
    private boolean recorded(long incidentId, String messageId) {
        return jdbc.sql("""
                        select exists (select 1 from incident_event where incident_id = :incident and kind = :kind
                                         and detail ->> 'messageId' = :id)
                        """)
                .param("incident", incidentId)
                .param("kind", SENT)
                .param("id", messageId)
                .query(Boolean.class)
                .single();
    }

    /** The Message-ID's nonce: the outbox message's id, so every attempt sends the same mail. */
    static String nonce(long outboxId) {
        String id = Long.toString(outboxId, 36);
        return "ar" + "0".repeat(Math.max(0, 6 - id.length())) + id;
    }

    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) + "…" : s;
    }
}
