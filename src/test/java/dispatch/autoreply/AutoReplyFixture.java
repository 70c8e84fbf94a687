package dispatch.autoreply;

import dispatch.incident.IncidentStatus;
import dispatch.incident.Incidents;
import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.StandIns;
import dispatch.standin.mail.TestMails;
import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStoreImport;
import dispatch.tracker.StatusCommandIssued;
import dispatch.tracker.StatusCommandIssued.Command;
import jakarta.mail.Message;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Mail in, the dispatcher's status command, and what came out: SMTP mailboxes, the fake Tracker, the history. */
final class AutoReplyFixture {

    final StandIns standIns;
    final FakeTracker tracker;
    final JdbcTemplate jdbc;
    final MailIntake intake;
    final Threading threading;
    private final OutboxWorker outbox;
    private final Incidents incidents;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final ApplicationContext context;
    /** The id of the last command, which tells commands apart. */
    String lastCommandId = "";

    AutoReplyFixture(ApplicationContext context) throws Exception {
        this.context = context;
        standIns = context.getBean(StandIns.class);
        tracker = standIns.tracker();
        jdbc = context.getBean(JdbcTemplate.class);
        intake = context.getBean(MailIntake.class);
        threading = context.getBean(Threading.class);
        outbox = context.getBean(OutboxWorker.class);
        incidents = context.getBean(Incidents.class);
        events = context;
        transaction = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
        tracker.reset();
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox cascade");
        if (jdbc.queryForObject("select count(*) from pole", Long.class) == 0) {
            context.getBean(TowerStoreImport.class).importAll();
        }
    }

    /** Receives a new mail from outside and lets it open its incident and its Tracker issue. */
    long receive(TestMails mail) {
        return receive(mail.messageId(), mail.bytes());
    }

    /** Receives a mail given as raw bytes; returns the incident it joined (null: none). */
    Long receive(String messageId, byte[] rfc822) {
        standIns.mail().append("INBOX", rfc822);
        intake.pollOnce();
        threading.threadPending();
        drain();
        return jdbc.queryForObject("select incident_id from email_message where message_id = ?", Long.class, messageId);
    }

    /** The dispatcher sets the notify status; the pull records it and publishes the command (as it does). */
    void command(long incident, Command command, String statusKey, String status) {
        commandWithoutDraining(incident, command, statusKey, status);
        drain();
    }

    void commandWithoutDraining(long incident, Command command, String statusKey, String status) {
        String key = trackerKey(incident);
        tracker.transition(key, statusKey);
        lastCommandId = UUID.randomUUID().toString();
        transaction.executeWithoutResult(tx -> {
            incidents.addStatus(incident, IncidentStatus.fromText(status), null);
            events.publishEvent(new StatusCommandIssued(incident, key, command, lastCommandId));
        });
    }

    /**
     * Runs {@code round} while the database refuses to record an auto-reply of this incident as sent (a trigger on
     * {@code AUTO_REPLY_SENT}, dropped afterwards); returns how many times it refused. The refusal rolls back the
     * whole outcome transaction, as a crash between the send and its record would leave it. The count is kept in a
     * sequence, which the rollback does not undo.
     */
    long refusingTheSendRecord(long incident, Runnable round) {
        jdbc.execute("create sequence test_send_record_refused");
        jdbc.execute("""
                create function test_refuse_send_record() returns trigger language plpgsql as $$
                begin
                    perform nextval('test_send_record_refused');
                    raise exception 'test: the process died before it recorded the send';
                end $$
                """);
        jdbc.execute("""
                create trigger test_refuse_send_record before insert on incident_event for each row
                when (new.kind = '%s' and new.incident_id = %d) execute function test_refuse_send_record()
                """.formatted(SendRecords.SENT, incident));
        try {
            round.run();
            return jdbc.queryForObject(
                    "select case when is_called then last_value else 0 end from test_send_record_refused", Long.class);
        } finally {
            jdbc.execute("drop trigger test_refuse_send_record on incident_event");
            jdbc.execute("drop function test_refuse_send_record()");
            jdbc.execute("drop sequence test_send_record_refused");
        }
    }

    void publish(long incident, Command command, String commandId) {
        String key = trackerKey(incident);
        transaction.executeWithoutResult(
                tx -> events.publishEvent(new StatusCommandIssued(incident, key, command, commandId)));
    }

    /** One Tracker pull, as the scheduled job runs it: status commands are published as in production. */
    void pull() {
        ReflectionTestUtils.invokeMethod(context.getBean("trackerPull"), "pullOnce");
    }

    /** One outbox round: what is due is attempted once. */
    void drainOnce() {
        outbox.drain();
    }

    /** Runs the outbox until nothing is pending (failed messages stay failed). */
    void drain() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            outbox.drain();
            Long pending = jdbc.queryForObject("select count(*) from outbox where status = 'PENDING'", Long.class);
            if (pending == 0) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("outbox not drained: "
                + jdbc.queryForList("select kind, status, attempts, last_error from outbox where status <> 'DONE'"));
    }

    /** What SMTP delivered to this address's mailbox. */
    List<MimeMessage> receivedBy(String address) {
        return standIns.mail().deliveredTo(address);
    }

    static List<String> addresses(MimeMessage message, Message.RecipientType type) throws Exception {
        return message.getRecipients(type) == null
                ? List.of()
                : Arrays.stream(message.getRecipients(type))
                        .map(a -> ((InternetAddress) a).getAddress())
                        .toList();
    }

    String trackerKey(long incident) {
        return jdbc.queryForObject("select tracker_key from incident where id = ?", String.class, incident);
    }

    String code(long incident) {
        return jdbc.queryForObject("select code from incident where id = ?", String.class, incident);
    }

    String status(String key) {
        return tracker.statusKey(key);
    }

    List<String> comments(String key) {
        return tracker.commentTexts(key);
    }

    List<String> history(long incident) {
        return jdbc.queryForList("""
                        select s.name from incident_status_history h join incident_status s on s.id = h.status_id
                        where h.incident_id = ? order by h.at, h.id
                        """, String.class, incident);
    }

    long sentRecords() {
        return jdbc.queryForObject("select count(*) from incident_event where kind = 'AUTO_REPLY_SENT'", Long.class);
    }

    /** As if the worker died before it marked the auto-reply delivered: the message is due again. */
    void redeliverAutoReplies() {
        jdbc.update(
                "update outbox set status = 'PENDING', done_at = null, next_at = now() where kind = ?",
                AutoReplies.KIND);
    }
}
