package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.lease=1s",
            "dispatch.outbox.initial-backoff=50ms",
            "dispatch.outbox.max-backoff=50ms",
            "dispatch.outbox.max-attempts=3"
        })
class OutboxIntegrationTest {

    /**
     * A delivery to record: the first {@code fail} attempts fail, with {@code crash} the first one dies, each attempt
     * takes {@code millis}.
     */
    @OutboxPayload.Kind("test")
    record Probe(String name, int fail, boolean crash, int millis) implements OutboxPayload {

        Probe(String name) {
            this(name, 0, false, 0);
        }

        Probe(String name, int fail, boolean crash) {
            this(name, fail, crash, 0);
        }
    }

    /** Records deliveries. */
    static class RecordingHandler implements OutboxHandler<Probe> {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<Integer> attempts = new CopyOnWriteArrayList<>();
        final Set<String> crashed = ConcurrentHashMap.newKeySet();

        @Override
        public Class<Probe> payloadType() {
            return Probe.class;
        }

        @Override
        public void handle(OutboxMessage<Probe> message) throws InterruptedException {
            attempts.add(message.attempt());
            String name = message.payload().name();
            Thread.sleep(message.payload().millis());
            if (message.payload().crash() && crashed.add(name)) {
                throw new OutOfMemoryError("simulated crash in the middle of " + name);
            }
            if (message.attempt() <= message.payload().fail()) {
                throw new IllegalStateException("Tracker answered 500 for " + name);
            }
            delivered.add(name);
        }
    }

    @TestConfiguration
    static class Handlers {
        @Bean
        RecordingHandler recordingHandler() {
            return new RecordingHandler();
        }

        @Bean
        FailedDeliveries failedDeliveries() {
            return new FailedDeliveries();
        }
    }

    static class FailedDeliveries {
        final List<OutboxDeliveryFailed> seen = new CopyOnWriteArrayList<>();

        @EventListener
        void on(OutboxDeliveryFailed event) {
            seen.add(event);
        }
    }

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxWorker worker;

    @Autowired
    RecordingHandler handler;

    @Autowired
    FailedDeliveries failures;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    OutboxAdmin health;

    @LocalServerPort
    int port;

    @BeforeEach
    void clean() {
        jdbc.execute("truncate outbox");
        handler.delivered.clear();
        handler.attempts.clear();
        failures.seen.clear();
    }

    @Test
    void sameDedupKeyIsDeliveredOnce() {
        assertThat(enqueue("k1", "incident:1", new Probe("a"))).isTrue();
        assertThat(enqueue("k1", "incident:1", new Probe("a"))).isFalse();

        worker.drain();
        worker.drain();

        assertThat(handler.delivered).containsExactly("a");
    }

    @Test
    void nothingIsEnqueuedWhenTheCallersTransactionRollsBack() {
        tx.executeWithoutResult(status -> {
            outbox.enqueue("k1", "incident:1", new Probe("a"));
            status.setRollbackOnly();
        });

        worker.drain();

        assertThat(handler.delivered).isEmpty();
    }

    @Test
    void laterMessagesOfAKeyWaitForTheFailingOneWhileOtherKeysGoOn() throws Exception {
        enqueue("create-1", "incident:1", new Probe("create-1", 2, false));
        enqueue("comment-1", "incident:1", new Probe("comment-1"));
        enqueue("create-2", "incident:2", new Probe("create-2"));

        worker.drain();
        assertThat(handler.delivered).containsExactly("create-2");

        drainUntil(() -> handler.delivered.size() == 3);
        assertThat(handler.delivered).containsExactly("create-2", "create-1", "comment-1");
    }

    @Test
    void aFailedMessageWaitsForALaterDrainWhileAnotherDeliveryOutlastsItsBackoff() throws Exception {
        // The slow delivery keeps the drain going ten times longer than create-1's backoff (at most 50 ms).
        enqueue("create-1", "incident:1", new Probe("create-1", 1, false));
        enqueue("slow-2", "incident:2", new Probe("slow-2", 0, false, 500));

        worker.drain();

        assertThat(handler.delivered).as("one attempt per message and drain").containsExactly("slow-2");
        assertThat(jdbc.queryForList("select attempts from outbox where dedup_key = 'create-1'", Integer.class))
                .containsExactly(1);
        drainUntil(() -> handler.delivered.size() == 2);
        assertThat(handler.delivered).containsExactly("slow-2", "create-1");
    }

    @Test
    void afterTheLastAttemptTheMessageIsFailedReportedAndStillBlocksItsKey() throws Exception {
        enqueue("create-1", "incident:1", new Probe("create-1", 99, false));
        enqueue("comment-1", "incident:1", new Probe("comment-1"));

        drainUntil(() -> !failures.seen.isEmpty());

        assertThat(failures.seen).singleElement().satisfies(f -> {
            assertThat(f.dedupKey()).isEqualTo("create-1");
            assertThat(f.attempts()).isEqualTo(3);
            assertThat(f.lastError()).contains("500");
        });
        // (the alert about the failure is a message of its own, of another kind)
        assertThat(jdbc.queryForList(
                        "select status from outbox where dedup_key in ('create-1', 'comment-1') order by id",
                        String.class))
                .containsExactly("FAILED", "PENDING");
        Thread.sleep(100);
        worker.drain();
        assertThat(handler.delivered).isEmpty();
        assertThat(health.health().getStatus().getCode()).isEqualTo("DOWN");
        assertThat(health.health().getDetails()).containsEntry("failed", 1L).containsKey("reason");

        RestClient admin = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/api/v1/admin/outbox")
                .defaultHeader("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .build();
        List<Map<String, Object>> listed =
                admin.get().uri("?status=failed").retrieve().body(new ParameterizedTypeReference<>() {});
        assertThat(listed)
                .singleElement()
                .satisfies(
                        d -> assertThat(d).containsEntry("dedupKey", "create-1").containsEntry("attempts", 3));
        admin.post().uri("/{id}/retry", listed.get(0).get("id")).retrieve().toBodilessEntity();
        worker.drain();
        assertThat(handler.attempts)
                .as("the retried delivery knows an attempt came before")
                .endsWith(2);
        assertThat(health.health().getStatus().getCode()).isEqualTo("UP");
    }

    @Test
    void aDeliveryThatDiedMidwayIsDeliveredAgainAfterItsLease() throws Exception {
        enqueue("create-1", "incident:1", new Probe("create-1", 0, true));

        worker.drain();
        assertThat(handler.delivered).isEmpty();
        worker.drain();
        assertThat(handler.attempts).as("leased, not retried at once").containsExactly(1);

        drainUntil(() -> handler.delivered.size() == 1);
        assertThat(handler.attempts).containsExactly(1, 2);
    }

    private boolean enqueue(String dedup, String ordering, Probe payload) {
        return tx.execute(status -> outbox.enqueue(dedup, ordering, payload));
    }

    private void drainUntil(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            worker.drain();
            Thread.sleep(20);
        }
        assertThat(done.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }
}
