package dispatch.mail;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Health "intake" names a folder whose announced mail has waited without progress longer than the limit; health
 * "mailParse" tells when fetched mail waits for the parse stage that long.
 */
@DispatchIntegrationTest
@TestPropertySource(properties = "dispatch.health.stall-after=1s")
class IntakeStallIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    IntakeHealth health;

    @Autowired
    ParseHealth parseHealth;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @BeforeEach
    void clean() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, mail_inbound, incident cascade");
    }

    @Test
    void aFolderStuckWithMailAboveItsCheckpointGoesDownNamingItAndUpWhenItIsRead() throws Exception {
        standIns.mail().append("INBOX", mail("read@op.example").bytes());
        intake.pollOnce();
        Thread.sleep(1_500);
        assertThat(health.health().getStatus().getCode())
                .as("nothing waits after a read that went through, however long ago")
                .isEqualTo("UP");

        standIns.mail().append("INBOX", mail("waits@op.example").bytes());
        CompletableFuture<MailIntake.Report> poll;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                // The read commits the batch's bytes to mail_inbound: held there, the folder makes no progress.
                s.execute("lock table mail_inbound in exclusive mode");
            }
            poll = CompletableFuture.supplyAsync(intake::pollOnce);
            Health down = awaitDown(health);
            assertThat(poll).as("intake is stuck on the lock meanwhile").isNotDone();
            assertThat(down.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(down.getDetails().get("reason").toString())
                    .contains("dispatch/INBOX", "1 UIDs waiting above the checkpoint", "no progress for");
            holder.rollback();
        }

        assertThat(poll.get(20, TimeUnit.SECONDS).stored()).isEqualTo(1);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void fetchedMailThatIsNotParsedTurnsTheParseStageDownUntilItIsStored() throws Exception {
        standIns.mail().append("INBOX", mail("staged@op.example").bytes());
        assertThat(intake.fetchOnce().fetched()).isEqualTo(1);
        assertThat(parseHealth.health().getDetails().get("waiting")).isEqualTo(1L);

        CompletableFuture<MailIntake.Report> parse;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("lock table email_message in exclusive mode");
            }
            parse = CompletableFuture.supplyAsync(intake::parseWaiting);
            Health down = awaitDown(parseHealth);
            assertThat(parse)
                    .as("the parse stage is stuck on the lock meanwhile")
                    .isNotDone();
            assertThat(down.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(down.getDetails().get("reason").toString())
                    .contains("1 fetched mails waiting to be parsed", "no progress for");
            assertThat(health.health().getStatus().getCode())
                    .as("the folder itself was read through")
                    .isEqualTo("UP");
            holder.rollback();
        }

        assertThat(parse.get(20, TimeUnit.SECONDS).stored()).isEqualTo(1);
        assertThat(parseHealth.health().getStatus().getCode()).isEqualTo("UP");
        assertThat(parseHealth.health().getDetails().get("waiting")).isEqualTo(0L);
    }

    private static Health awaitDown(HealthIndicator indicator) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Health health = indicator.health();
        while (!health.getStatus().getCode().equals("DOWN") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            health = indicator.health();
        }
        return health;
    }
}
