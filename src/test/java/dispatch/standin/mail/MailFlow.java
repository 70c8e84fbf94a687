package dispatch.standin.mail;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.StandIns;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A mail's way through the running service, driven by hand as the background jobs would: into the INBOX, intake,
 * threading, and the outbox until every delivery is done (Tracker issues and comments, auto-replies).
 */
public final class MailFlow {

    private final StandIns standIns;
    private final MailIntake intake;
    private final Threading threading;
    private final OutboxWorker outbox;
    private final JdbcTemplate jdbc;

    public MailFlow(StandIns standIns, MailIntake intake, Threading threading, OutboxWorker outbox, JdbcTemplate jdbc) {
        this.standIns = standIns;
        this.intake = intake;
        this.threading = threading;
        this.outbox = outbox;
        this.jdbc = jdbc;
    }

    /** Delivers the mail to the INBOX, stores and threads it, and carries out what that queued. */
    public void receive(TestMails mail) {
        store(mail);
        drainOutbox();
    }

    /** Delivers the mail to the INBOX, stores and threads it; what that queued in the outbox waits. */
    public void store(TestMails mail) {
        standIns.mail().append("INBOX", mail.bytes());
        intake.pollOnce();
        threading.threadPending();
    }

    /** Runs the outbox until no delivery is left undone (at most a minute). */
    public void drainOutbox() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (jdbc.queryForObject("select count(*) from outbox where status <> 'DONE'", Long.class) > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("outbox not drained: "
                        + jdbc.queryForList(
                                "select kind, status, attempts, last_error from outbox where status <> 'DONE'"));
            }
            outbox.drain();
            try {
                Thread.sleep(20); // a delivery waiting for its backoff
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
