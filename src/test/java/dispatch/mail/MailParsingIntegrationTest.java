package dispatch.mail;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.DispatchProperties;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The intake's two stages (decision 0016): the read commits raw mail and moves the checkpoint; the parse stage
 * stores each fetched message exactly once, however many parsers run at once, and leaves nothing staged.
 */
@DispatchIntegrationTest
class MailParsingIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DispatchProperties settings;

    MailServer mail;

    @BeforeEach
    void clean() throws Exception {
        mail = standIns.mail();
        mail.greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, email_sighting, mail_inbound cascade");
    }

    @Test
    void theReadCommitsRawMailAndTheCheckpointAndTheParseStageStoresIt() {
        for (int i = 1; i <= 120; i++)
            mail.append("INBOX", mail("staged-" + i + "@op.example").bytes());

        MailIntake.Report fetched = intake.fetchOnce();

        assertThat(fetched.fetched()).isEqualTo(120);
        assertThat(fetched.stored()).isZero();
        assertThat(count("mail_inbound")).isEqualTo(120);
        assertThat(count("email_message")).as("nothing parsed by the read").isZero();
        assertThat(jdbc.queryForObject("select last_uid from mail_folder where role = 'INBOX'", Long.class))
                .isEqualTo(mail.highestUid("INBOX"));
        assertThat(intake.fetchOnce().fetched())
                .as("a second read stages nothing again")
                .isZero();
        List<Path> files = stagedFiles();
        assertThat(files)
                .as("one file per read batch, on disk before the commit")
                .hasSize(2)
                .allMatch(Files::exists);

        MailIntake.Report parsed = intake.parseWaiting();

        assertThat(parsed.stored()).isEqualTo(120);
        assertThat(count("email_message")).isEqualTo(120);
        assertThat(count("email_sighting")).isEqualTo(120);
        assertThat(count("mail_inbound"))
                .as("staged rows removed with the stored ones")
                .isZero();
        assertThat(files).as("a batch file goes once its messages are stored").noneMatch(Files::exists);
        MailIntake.Report again = intake.parseWaiting();
        assertThat(again.stored() + again.duplicates() + again.quarantined())
                .as("a second parse finds nothing")
                .isZero();
    }

    @Test
    void parsersRacingForTheSameStagedMailStoreEachMessageOnce() throws Exception {
        for (int i = 1; i <= 400; i++)
            mail.append("INBOX", mail("race-" + i + "@op.example").bytes());
        assertThat(intake.fetchOnce().fetched()).isEqualTo(400);
        List<Path> files = stagedFiles();

        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<MailIntake.Report>> parsers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parsers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return intake.parseWaiting();
            }));
        }
        start.countDown();
        int stored = 0, duplicates = 0;
        for (var parser : parsers) {
            stored += parser.get().stored();
            duplicates += parser.get().duplicates();
        }

        assertThat(stored).isEqualTo(400);
        assertThat(duplicates).as("messages parsed twice").isZero();
        assertThat(count("email_message")).isEqualTo(400);
        assertThat(count("mail_inbound")).isZero();
        assertThat(jdbc.queryForObject(
                        "select count(*) from (select uid from email_sighting group by uid having count(*) > 1) x",
                        Long.class))
                .isZero();
        assertThat(files)
                .as("whichever parser stored a file's last message deleted it")
                .noneMatch(Files::exists);
    }

    /**
     * A staged file someone deleted from the data directory: its messages are quarantined without a raw copy (the
     * folder and the other batches go on), and replay fetches them from the mailbox by UID.
     */
    @Test
    void aMissingStagedFileQuarantinesItsMessagesAndReplayFetchesThemAgain() throws Exception {
        for (int i = 1; i <= 3; i++)
            mail.append("INBOX", mail("lost-file-" + i + "@op.example").bytes());
        assertThat(intake.fetchOnce().fetched()).isEqualTo(3);
        for (Path file : stagedFiles()) Files.delete(file);

        MailIntake.Report parsed = intake.parseWaiting();

        assertThat(parsed.quarantined()).isEqualTo(3);
        assertThat(count("mail_inbound")).isZero();
        List<Long> quarantined = jdbc.queryForList(
                "select id from mail_quarantine where reason like 'staged copy missing%' and raw_sha256 is null"
                        + " order by id",
                Long.class);
        assertThat(quarantined).hasSize(3);
        for (long id : quarantined) assertThat(intake.replay(id)).contains("stored");
        assertThat(count("email_message")).isEqualTo(3);
    }

    private List<Path> stagedFiles() {
        return jdbc
                .queryForList("select distinct spool from mail_inbound where spool is not null", String.class)
                .stream()
                .map(f -> settings.dataDirectory().resolve("inbound").resolve(f))
                .toList();
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }
}
