package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The read's write (decision 0016, update): batches go into {@code mail_inbound} by COPY, which cannot skip a UID
 * staged before, so the read itself must leave out what the checkpoint it locks already covers.
 */
@DispatchIntegrationTest
class FolderReadPipelineIntegrationTest {

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MailProperties settings;

    @Autowired
    MailStore store;

    @Autowired
    InboundStore inbound;

    @Autowired
    InboundSpool spool;

    @Autowired
    FolderReader reader;

    @Autowired
    MessageWriter writer;

    @Autowired
    IntakeMetrics meters;

    @Autowired
    PlatformTransactionManager transactions;

    MailServer mail;

    @BeforeEach
    void cleanMailbox() throws Exception {
        mail = standIns.mail();
        mail.greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, email_sighting cascade");
    }

    /**
     * A reader that lost its folder lock unnoticed (its lock connection died) while another instance read the same
     * folder: the other one stages every UID after the first batch; the first reader's later batches are then all at
     * or below the checkpoint it locks, and are left out instead of failing the read on the unique key.
     */
    @Test
    void aReaderOvertakenByAnotherStagesNothingTwiceAndDoesNotFail() {
        int messages = settings.batchSize() * 2 + 50;
        for (int i = 1; i <= messages; i++) mail.append("INBOX", mail(i));
        MailProperties.Account account = settings.accounts().get(0);
        AtomicReference<FolderIntake.Read> other = new AtomicReference<>();
        FolderIntake second = intake(() -> {});
        FolderIntake first = intake(() -> {
            if (other.get() == null)
                other.set(second.read(new AccountConnection(new ImapConnector(), account), FolderRole.INBOX));
        });

        FolderIntake.Read read = first.read(new AccountConnection(new ImapConnector(), account), FolderRole.INBOX);

        assertThat(other.get().failures()).isEmpty();
        assertThat(other.get().staged()).isEqualTo(messages - settings.batchSize());
        assertThat(read.failures()).isEmpty();
        assertThat(jdbc.queryForObject("select count(distinct uid) from mail_inbound", Long.class))
                .isEqualTo(messages);
        assertThat(jdbc.queryForObject("select count(*) from mail_inbound", Long.class))
                .isEqualTo(messages);
        assertThat(jdbc.queryForObject("select last_uid from mail_folder where role = 'INBOX'", Long.class))
                .isEqualTo(jdbc.queryForObject("select max(uid) from mail_inbound", Long.class));
    }

    /**
     * Group commit: batches that finished downloading while the writer was busy go to disk and commit together, in
     * one file and one transaction, so a slow disk does not leave the writer one fsync per batch behind.
     */
    @Test
    void batchesThatArrivedWhileTheWriterWasBusyAreWrittenTogether() throws Exception {
        int messages = settings.batchSize() * 4;
        for (int i = 1; i <= messages; i++) mail.append("INBOX", mail(i));
        AtomicInteger groups = new AtomicInteger();
        FolderIntake reader = intake(() -> {
            // The writer is busy after its first commit until the download thread has nothing left to do ahead.
            if (groups.incrementAndGet() == 1) awaitDownloadsIdle();
        });

        FolderIntake.Read read = reader.read(
                new AccountConnection(new ImapConnector(), settings.accounts().get(0)), FolderRole.INBOX);

        assertThat(read.failures()).isEmpty();
        assertThat(read.staged()).isEqualTo(messages);
        assertThat(jdbc.queryForObject("select count(distinct uid) from mail_inbound", Long.class))
                .isEqualTo(messages);
        assertThat(groups.get()).as("commits for four batches").isLessThan(4);
        assertThat(jdbc.queryForObject("select count(distinct spool) from mail_inbound", Long.class))
                .as("one file per commit")
                .isEqualTo(groups.get());
        assertThat(jdbc.queryForObject("select last_uid from mail_folder where role = 'INBOX'", Long.class))
                .isEqualTo(mail.highestUid("INBOX"));
    }

    private static void awaitDownloadsIdle() {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            boolean idle = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("imap-read-"))
                    .allMatch(t -> t.getState() == Thread.State.WAITING);
            if (idle) return;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the download thread never went idle");
    }

    private FolderIntake intake(Runnable staged) {
        return new FolderIntake(
                settings, store, inbound, spool, reader, writer, new TransactionTemplate(transactions), meters, staged);
    }

    private static byte[] mail(int n) {
        return ("Message-ID: <pipe" + n + "@carrier.example.test>\r\n"
                        + "From: noc@carrier.example.test\r\nTo: dispatch@example.test\r\n"
                        + "Subject: Сообщение " + n + "\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                        + "Нет питания на опоре 50123-01, сообщение " + n + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
