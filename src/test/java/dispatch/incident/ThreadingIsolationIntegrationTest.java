package dispatch.incident;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.MailIntake;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.TestMails;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

/**
 * A mail whose threading fails never holds up the mail behind it: a database error is retried later, anything else
 * parks the mail with its reason, listed and replayable by an admin; no mail holds the threading lock longer than the
 * limit. Hostile mail comes in through GreenMail and intake like any other.
 */
@DispatchIntegrationTest
@TestPropertySource(properties = "dispatch.incident.threading-timeout=2s")
class ThreadingIsolationIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    @BeforeEach
    void clean() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident cascade");
    }

    @AfterEach
    void dropConstraint() {
        jdbc.execute("alter table incident drop constraint if exists refuses_poison");
    }

    @Test
    void aSubjectOfTwentyThousandReplyPrefixesNeverHoldsUpTheMailBehindIt() {
        String hostile = "Re: ".repeat(20_000) + "Авария на опоре";
        receive(mail("deep@op.example").subject(hostile).at(Instant.parse("2026-11-20T07:00:00Z")));
        receive(mail("after@op.example").subject("Нет связи").at(Instant.parse("2026-11-20T08:00:00Z")));

        threading.threadPending();

        assertThat(matchOf("after@op.example")).isEqualTo("NEW_INCIDENT");
        assertThat(incidentOf("after@op.example")).isNotNull();
        // Threading copes with it (once Subjects.clean is linear) or parks it with the reason; it never stays queued.
        String method = matchOf("deep@op.example");
        assertThat(method).isIn("NEW_INCIDENT", "PARKED");
        if (method.equals("PARKED")) {
            assertThat(reasonOf("deep@op.example")).contains("StackOverflowError");
        }
    }

    @Test
    void aMailTheDatabaseRefusesIsParkedListedAlertedAndThreadedOnReplayAfterTheFix() {
        jdbc.execute("alter table incident add constraint refuses_poison check (summary not like '%POISON%')");
        double parkedBefore = parkedCount();
        receive(mail("poison@op.example").subject("POISON опора 12345-01").at(Instant.parse("2026-11-20T07:00:00Z")));
        receive(mail("fine@op.example").subject("Нет связи").at(Instant.parse("2026-11-20T08:00:00Z")));

        threading.threadPending();

        assertThat(matchOf("fine@op.example")).isEqualTo("NEW_INCIDENT");
        assertThat(matchOf("poison@op.example")).isEqualTo("PARKED");
        assertThat(incidentOf("poison@op.example")).isNull();
        assertThat(parkedCount()).isEqualTo(parkedBefore + 1);
        List<Map<String, Object>> parked = admin().get().retrieve().body(new ParameterizedTypeReference<>() {});
        assertThat(parked).singleElement().satisfies(p -> {
            assertThat(p).containsEntry("messageId", "poison@op.example").containsEntry("state", "PARKED");
            assertThat((String) p.get("reason")).contains("refuses_poison");
        });

        threading.threadPending();
        assertThat(matchOf("poison@op.example"))
                .as("parked mail waits for a person")
                .isEqualTo("PARKED");

        jdbc.execute("alter table incident drop constraint refuses_poison");
        Map<String, String> replay = admin().post()
                .uri("/{id}/replay", parked.get(0).get("mailId"))
                .retrieve()
                .body(new ParameterizedTypeReference<>() {});

        assertThat(replay.get("result")).startsWith("threaded: NEW_INCIDENT");
        assertThat(incidentOf("poison@op.example")).isNotNull();
        assertThat(admin().get().retrieve().body(List.class)).isEmpty();
    }

    @Test
    void aLockedTableIsATransientErrorRetriedLaterWhileTheMailWaitsOutOfTheQueue() throws Exception {
        receive(mail("locked@op.example").subject("Авария").at(Instant.parse("2026-11-20T07:00:00Z")));
        receive(mail("auto@op.example")
                .subject("Автоответ")
                .header("Auto-Submitted: auto-replied")
                .at(Instant.parse("2026-11-20T08:00:00Z")));

        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("lock table incident in exclusive mode");
            }
            threading.threadPending();
            holder.rollback();
        }

        assertThat(matchOf("locked@op.example")).isEqualTo("RETRY");
        assertThat(reasonOf("locked@op.example")).as("the fault that fired").contains("lock");
        assertThat(matchOf("auto@op.example"))
                .as("the mail behind it does not touch the locked table and goes on")
                .isEqualTo("AUTO_REPLY_IGNORED");
        threading.threadPending();
        assertThat(matchOf("locked@op.example"))
                .as("not before its retry is due")
                .isEqualTo("RETRY");

        jdbc.update("update threading_failure set next_at = now()");
        threading.threadPending();

        assertThat(matchOf("locked@op.example")).isEqualTo("NEW_INCIDENT");
        assertThat(jdbc.queryForObject(
                        "select count(*) from threading_failure f join email_message m on m.id = f.email_message_id"
                                + " where m.match_method in ('RETRY', 'PARKED')",
                        Long.class))
                .isZero();
    }

    @Test
    void aMailThatKeepsThreadingBusyBeyondTheLimitLosesTheLockAndIsParked() throws Exception {
        // The location search runs a regex over the body; on a long run without spaces it took quadratic time.
        String body = "x".repeat(30_000);
        receive(mail("slow@op.example").subject("Авария").body(body).at(Instant.parse("2026-11-20T07:00:00Z")));
        receive(mail("next@op.example").subject("Нет связи").at(Instant.parse("2026-11-20T08:00:00Z")));

        long start = System.nanoTime();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(threading::threadPending);
        boolean freedWhileRunning = false;
        while (!run.isDone()) {
            if (Duration.ofNanos(System.nanoTime() - start).toMillis() > 500 && lockIsFree() && !run.isDone()) {
                freedWhileRunning = true;
                break;
            }
            Thread.sleep(50);
        }
        run.get(120, TimeUnit.SECONDS);

        assertThat(matchOf("next@op.example")).isEqualTo("NEW_INCIDENT");
        String method = matchOf("slow@op.example");
        assertThat(method).isIn("NEW_INCIDENT", "PARKED");
        if (method.equals("PARKED")) {
            assertThat(freedWhileRunning)
                    .as("the lock went free while the mail was still being worked on")
                    .isTrue();
            assertThat(reasonOf("slow@op.example")).contains("over the limit of PT2S");
        }
    }

    private boolean lockIsFree() throws Exception {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("select pg_try_advisory_lock(7262001)");
            rs.next();
            boolean free = rs.getBoolean(1);
            if (free) s.execute("select pg_advisory_unlock(7262001)");
            return free;
        }
    }

    private void receive(TestMails mail) {
        standIns.mail().append("INBOX", mail.bytes());
        MailIntake.Report report = intake.pollOnce();
        assertThat(report.stored()).as("stored: %s", mail.messageId()).isEqualTo(1);
    }

    private String matchOf(String messageId) {
        return jdbc.queryForObject(
                "select match_method from email_message where message_id = ?", String.class, messageId);
    }

    private Long incidentOf(String messageId) {
        return jdbc.queryForObject("select incident_id from email_message where message_id = ?", Long.class, messageId);
    }

    private String reasonOf(String messageId) {
        return jdbc.queryForObject(
                "select f.reason from threading_failure f join email_message m on m.id = f.email_message_id"
                        + " where m.message_id = ?",
                String.class,
                messageId);
    }

    private double parkedCount() {
        var counter = meters.find("dispatch.threading.failures")
                .tag("outcome", "parked")
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private RestClient admin() {
        return RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/api/v1/admin/mail/parked")
                .defaultHeader("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .build();
    }
}
