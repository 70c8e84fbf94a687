package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.standin.tracker.FakeTracker;
import dispatch.standin.tracker.Fault;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** Retries, Retry-After, the non-idempotent calls, the circuit breaker and the metrics, against the fake's faults. */
class TrackerClientRetryTest {

    TrackerFixture fixture;
    FakeTracker tracker;
    TrackerClient client;

    @BeforeEach
    void clean() {
        fixture = TrackerFixture.shared();
        tracker = fixture.tracker;
        client = fixture.client();
    }

    @Test
    void waitsWhatRetryAfterSaysOn429() {
        String key = create("rate limited");
        tracker.faults().next("GET /issues/*", Fault.respond429(3));

        assertThat(client.get(key).key()).isEqualTo(key);

        assertThat(fixture.waits).containsExactly(Duration.ofSeconds(3));
        assertThat(tracker.callCount("GET /issues/{key}")).isEqualTo(2);
    }

    @Test
    void retryAfterLongerThanTheCapIsReportedInsteadOfWaited() {
        String key = create("rate limited for long");
        tracker.faults().next("GET /issues/*", Fault.respond429(120));

        assertThatThrownBy(() -> client.get(key)).isInstanceOfSatisfying(TrackerException.class, e -> {
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(120));
            assertThat(e.transientFailure()).isTrue();
        });
        assertThat(fixture.waits).isEmpty();
        assertThat(tracker.callCount("GET /issues/{key}")).isEqualTo(1);
    }

    @Test
    void serverErrorsAndDroppedConnectionsAreRetriedWithGrowingBackoff() {
        create("searched");
        tracker.faults()
                .next("POST /issues/_search", Fault.respond5xx(503))
                .next("POST /issues/_search", Fault.dropConnection())
                .next("POST /issues/_search", Fault.respond5xx(500));

        assertThat(client.search(Map.of("queue", "DISPATCH"), null, issue -> {}))
                .isEqualTo(1);

        assertThat(fixture.waits).containsExactly(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(40));
        assertThat(tracker.callCount("POST /issues/_search")).isEqualTo(4);
    }

    @Test
    void givesUpAfterTheLastAttempt() {
        String key = create("down");
        for (int i = 0; i < 4; i++) tracker.faults().next("PATCH /issues/*", Fault.respond5xx(502));

        assertThatThrownBy(() -> client.patch(key, Map.of("summary", "x")))
                .isInstanceOfSatisfying(
                        TrackerException.class, e -> assertThat(e.status()).isEqualTo(502));
        assertThat(tracker.callCount("PATCH /issues/{key}")).isEqualTo(4);
    }

    @Test
    void createWhoseAnswerWasLostFindsTheIssueByUniqueInsteadOfDuplicatingIt() {
        tracker.faults().next("POST /issues/", Fault.applyThenDrop());

        TrackerIssue issue = client.create(Map.of("queue", "DISPATCH", "summary", "lost answer"), "incident-9");

        assertThat(tracker.issues()).hasSize(1);
        assertThat(issue.key()).isEqualTo("DISPATCH-1");
        assertThat(tracker.callCount("POST /issues/")).isEqualTo(2);
        assertThat(tracker.callCount("POST /issues/_findByUnique")).isEqualTo(1);
    }

    @Test
    void commentWhoseAnswerWasLostIsNotRepeated() {
        String key = create("commented");
        tracker.faults().next("POST /issues/*/comments", Fault.applyThenDrop());

        assertThatThrownBy(() -> client.comment(key, "once", List.of()))
                .isInstanceOfSatisfying(
                        TrackerException.class, e -> assertThat(e.status()).isZero());
        assertThat(tracker.comments(key)).hasSize(1);
        assertThat(tracker.callCount("POST /issues/{key}/comments")).isEqualTo(1);
    }

    @Test
    void commentAnsweredWithServerErrorIsNotRepeatedButOneRateLimitedIs() {
        String key = create("commented");
        tracker.faults().next("POST /issues/*/comments", Fault.respond5xx(500));
        assertThatThrownBy(() -> client.comment(key, "maybe stored", List.of()))
                .isInstanceOfSatisfying(
                        TrackerException.class, e -> assertThat(e.status()).isEqualTo(500));
        assertThat(tracker.callCount("POST /issues/{key}/comments")).isEqualTo(1);

        tracker.faults().next("POST /issues/*/comments", Fault.respond429(0));
        client.comment(key, "after a 429", List.of());
        tracker.faults().next("POST /issues/*/transitions/*/_execute", Fault.dropConnection());
        assertThatThrownBy(() -> client.transition(key, "inProgress", "maybe moved"))
                .isInstanceOf(TrackerException.class);

        assertThat(tracker.comments(key)).hasSize(1);
        assertThat(tracker.callCount("POST /issues/{key}/comments")).isEqualTo(3);
        assertThat(tracker.callCount("POST /issues/{key}/transitions/{id}/_execute"))
                .isEqualTo(1);
    }

    @Test
    void commentIsRetriedWhenTheConnectionIsRefused() {
        Map<String, Object> properties = fixture.properties();
        properties.put("base-url", "http://127.0.0.1:9");
        TrackerClient unreachable = fixture.client(properties, 100);

        assertThatThrownBy(() -> unreachable.comment("DISPATCH-1", "never sent", List.of()))
                .isInstanceOfSatisfying(
                        TrackerException.class, e -> assertThat(e.status()).isZero());
        assertThat(fixture.waits).hasSize(3);
    }

    @Test
    void circuitOpensAfterRepeatedFailuresFailsFastAndClosesAfterRecovery() {
        Map<String, Object> properties = fixture.properties();
        properties.put("circuit.window", "4");
        properties.put("circuit.minimum-calls", "4");
        properties.put("circuit.open-wait", "30s");
        fixture.meters.clear(); // the gauge belongs to this test's client
        client = fixture.client(properties, 100);
        TrackerHealth health =
                new TrackerHealth(client, fixture.settings(properties), Duration.ZERO, fixture.clock, List::of);
        String key = create("outage");
        tracker.faults().failRandomly(1.0, 1, Fault.respond5xx(503));

        assertThatThrownBy(() -> client.get(key)).isInstanceOf(TrackerException.class);
        int calls = tracker.callCount("GET /issues/{key}");
        assertThat(calls)
                .as("the circuit opened within the first call's attempts")
                .isBetween(2, 4);
        assertThatThrownBy(() -> client.get(key)).isInstanceOfSatisfying(TrackerException.class, e -> {
            assertThat(e.status()).isZero();
            assertThat(e.getMessage()).contains("circuit open");
        });
        assertThat(tracker.callCount("GET /issues/{key}")).isEqualTo(calls);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails())
                .containsEntry("circuit", "OPEN")
                .hasEntrySatisfying(
                        "lastFailure", last -> assertThat(last.toString()).contains("503"));
        assertThat(fixture.meters.get("dispatch.tracker.circuit.state").gauge().value())
                .isEqualTo(1);

        tracker.faults().stopFailingRandomly();
        fixture.clock.advance(Duration.ofSeconds(31));
        client.get(key);
        client.get(key);

        assertThat(client.http().circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("circuit", "CLOSED");
    }

    @Test
    void clientErrorsDoNotOpenTheCircuit() {
        Map<String, Object> properties = fixture.properties();
        properties.put("circuit.window", "4");
        properties.put("circuit.minimum-calls", "4");
        client = fixture.client(properties, 100);

        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> client.get("DISPATCH-999")).isInstanceOf(TrackerException.class);
        }

        assertThat(client.http().circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(tracker.callCount("GET /issues/{key}")).isEqualTo(6);
    }

    @Test
    void requestsAndRetriesAreCountedByRouteTemplate() {
        String key = create("metrics");
        tracker.faults().next("GET /issues/*", Fault.respond5xx(503));

        client.get(key);

        assertThat(fixture.meters
                        .get("dispatch.tracker.requests")
                        .tags("method", "GET", "route", "/v2/issues/{key}", "outcome", "success")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(fixture.meters
                        .get("dispatch.tracker.requests")
                        .tags("route", "/v2/issues/{key}", "outcome", "server_error")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(fixture.meters
                        .get("dispatch.tracker.retries")
                        .tags("route", "/v2/issues/{key}")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(fixture.meters.getMeters())
                .noneMatch(m -> String.valueOf(m.getId()).contains(key));
    }

    private String create(String summary) {
        return client.create(Map.of("queue", "DISPATCH", "summary", summary), summary + System.nanoTime())
                .key();
    }
}
