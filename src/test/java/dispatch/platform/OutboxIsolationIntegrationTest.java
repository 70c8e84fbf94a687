package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

/** One slow delivery holds its own slot only; a delivery that failed for good can be skipped by an admin. */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.concurrency=2",
            "dispatch.outbox.poll-interval=50ms",
            "dispatch.outbox.max-attempts=1"
        })
class OutboxIsolationIntegrationTest {

    /** "slow" waits until the test lets it go; "fail" always fails. */
    @OutboxPayload.Kind("gate")
    record Gate(String name) implements OutboxPayload {}

    static class GateHandler implements OutboxHandler<Gate> {
        volatile CountDownLatch slowStarted = new CountDownLatch(1);
        volatile CountDownLatch release = new CountDownLatch(1);
        final List<String> delivered = new CopyOnWriteArrayList<>();

        void reset() {
            slowStarted = new CountDownLatch(1);
            release = new CountDownLatch(1);
            delivered.clear();
        }

        @Override
        public Class<Gate> payloadType() {
            return Gate.class;
        }

        @Override
        public void handle(OutboxMessage<Gate> message) throws Exception {
            String name = message.payload().name();
            if (name.startsWith("slow")) {
                slowStarted.countDown();
                release.await(30, TimeUnit.SECONDS);
            }
            if (name.startsWith("fail")) throw new IllegalStateException("Tracker answered 422 for " + name);
            delivered.add(name);
        }
    }

    @TestConfiguration
    static class Handlers {
        @Bean
        GateHandler gateHandler() {
            return new GateHandler();
        }
    }

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxWorker worker;

    @Autowired
    GateHandler handler;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @BeforeEach
    void clean() {
        jdbc.execute("truncate outbox");
        handler.reset();
    }

    @Test
    void aSlowDeliveryDoesNotStopLaterDueDeliveriesFromBeingClaimed() throws Exception {
        enqueue("slow", "incident:1");
        enqueue("a", "incident:2");
        CompletableFuture<Integer> draining = CompletableFuture.supplyAsync(worker::drain);
        assertThat(handler.slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // Due only after the first claim: picked up by the same round while "slow" still runs.
        enqueue("b", "incident:3");
        enqueue("c", "incident:4");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handler.delivered.size() < 3 && System.nanoTime() < deadline) Thread.sleep(20);

        assertThat(handler.delivered).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(draining).as("the slow delivery still runs").isNotDone();
        handler.release.countDown();
        assertThat(draining.get(10, TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(handler.delivered).contains("slow");
    }

    @Test
    void anAdminSkipsAFailedDeliveryWithAReasonAndTheIncidentsNextDeliveryGoesOn() {
        enqueue("fail-create", "incident:7");
        enqueue("comment", "incident:7");
        handler.release.countDown();
        worker.drain();
        assertThat(handler.delivered).as("held up by the failed one").isEmpty();
        long failed = jdbc.queryForObject("select id from outbox where status = 'FAILED'", Long.class);

        assertThat(skip(failed, Map.of())).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(skip(failed, Map.of("reason", "  "))).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(skip(failed + 1000, Map.of("reason", "gone"))).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(skip(failed, Map.of("reason", "issue deleted in Tracker by hand")))
                .isEqualTo(HttpStatus.OK);
        worker.drain();

        assertThat(handler.delivered).containsExactly("comment");
        List<Map<String, Object>> listed =
                admin().get().uri("?status=skipped").retrieve().body(new ParameterizedTypeReference<>() {});
        assertThat(listed)
                .singleElement()
                .satisfies(d -> assertThat(d)
                        .containsEntry("dedupKey", "fail-create")
                        .containsEntry("status", "SKIPPED")
                        .containsEntry("skippedBy", "dev-admin")
                        .containsEntry("skipReason", "issue deleted in Tracker by hand"));
        assertThat(skip(failed, Map.of("reason", "again")))
                .as("only a failed one")
                .isEqualTo(HttpStatus.NOT_FOUND);
    }

    private HttpStatus skip(long id, Map<String, String> body) {
        try {
            return HttpStatus.valueOf(admin().post()
                    .uri("/{id}/skip", id)
                    .body(body)
                    .retrieve()
                    .toBodilessEntity()
                    .getStatusCode()
                    .value());
        } catch (HttpClientErrorException e) {
            return HttpStatus.valueOf(e.getStatusCode().value());
        }
    }

    private RestClient admin() {
        return RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/api/v1/admin/outbox")
                .defaultHeader("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .build();
    }

    private void enqueue(String name, String ordering) {
        tx.executeWithoutResult(status -> outbox.enqueue(name, ordering, new Gate(name)));
    }
}
