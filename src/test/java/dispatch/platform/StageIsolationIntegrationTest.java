package dispatch.platform;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

/**
 * With background jobs on, a threading stuck on its lock stops neither intake nor the outbox (each stage has its own
 * thread), and health "threading" goes DOWN with the reason once the stall outlasts the limit.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.scheduling-enabled=true",
            "dispatch.mail.poll-interval=200ms",
            "dispatch.incident.sweep-interval=200ms",
            "dispatch.outbox.poll-interval=100ms",
            "dispatch.health.stall-after=2s",
            "dispatch.tracker.enabled=false"
        })
class StageIsolationIntegrationTest {

    @OutboxPayload.Kind("probe")
    record Probe() implements OutboxPayload {}

    static class RecordingHandler implements OutboxHandler<Probe> {
        final List<String> delivered = new CopyOnWriteArrayList<>();

        @Override
        public Class<Probe> payloadType() {
            return Probe.class;
        }

        @Override
        public void handle(OutboxMessage<Probe> message) {
            delivered.add(message.dedupKey());
        }
    }

    @TestConfiguration
    static class Handlers {
        @Bean
        RecordingHandler probeHandler() {
            return new RecordingHandler();
        }
    }

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    RecordingHandler outboxProbe;

    @LocalServerPort
    int port;

    @Test
    void aThreadingStuckOnItsLockStopsNeitherIntakeNorTheOutboxAndGoesDownInHealth() throws Exception {
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            try (Statement s = holder.createStatement()) {
                s.execute("select pg_advisory_xact_lock(7262001)");
            }

            standIns.mail()
                    .append(
                            "INBOX",
                            mail("stuck-1@op.example").subject("Авария").bytes());
            waitFor("first mail stored", () -> stored("stuck-1@op.example"));
            waitFor(
                    "threading waits for the lock",
                    () -> jdbc.queryForObject(
                                    "select count(*) from pg_locks where locktype = 'advisory' and not granted",
                                    Long.class)
                            > 0);

            standIns.mail()
                    .append(
                            "INBOX",
                            mail("stuck-2@op.example").subject("Нет связи").bytes());
            waitFor("second mail stored while threading is stuck", () -> stored("stuck-2@op.example"));
            // Due a moment from now: only the outbox's own poll can find it.
            jdbc.update("insert into outbox (kind, dedup_key, ordering_key, next_at)"
                    + " values ('probe', 'probe-1', 'probe', now() + interval '300 milliseconds')");
            waitFor("outbox delivered while threading is stuck", () -> outboxProbe.delivered.contains("probe-1"));

            waitFor(
                    "health threading DOWN",
                    () -> "DOWN".equals(component("threading").get("status")));
            assertThat(component("threading").get("details").toString())
                    .contains("2 mails waiting for threading", "no progress for");
            assertThat(component("intake").get("status")).isEqualTo("UP");
            assertThat(component("outbox").get("status")).isEqualTo("UP");
            assertThat(matchOf("stuck-1@op.example"))
                    .as("the lock was held throughout")
                    .isNull();
            holder.rollback();
        }

        waitFor(
                "both threaded after the lock is released",
                () -> "NEW_INCIDENT".equals(matchOf("stuck-1@op.example"))
                        && "NEW_INCIDENT".equals(matchOf("stuck-2@op.example")));
        waitFor(
                "health threading UP again",
                () -> "UP".equals(component("threading").get("status")));
    }

    private boolean stored(String messageId) {
        return jdbc.queryForObject("select count(*) from email_message where message_id = ?", Long.class, messageId)
                > 0;
    }

    private String matchOf(String messageId) {
        return jdbc.queryForObject(
                "select match_method from email_message where message_id = ?", String.class, messageId);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> component(String name) {
        Map<String, Object> health = RestClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/actuator/health")
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN) // details are for admins
                .retrieve()
                .onStatus(status -> true, (request, response) -> {})
                .body(new ParameterizedTypeReference<>() {});
        return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get(name);
    }

    private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within 20 s: " + what);
            Thread.sleep(50);
        }
    }
}
