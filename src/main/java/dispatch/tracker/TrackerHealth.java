package dispatch.tracker;

import dispatch.platform.CachedHealth;
import dispatch.platform.SafeUrls;
import dispatch.tracker.TrackerHttp.Failure;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health "tracker": whether Tracker accepts our token and organisation ({@code GET /v2/myself}, one attempt, no
 * refresh, so a rejected token shows until a real call renews it), the circuit breaker's state and the latest
 * failure. While the circuit is not closed Tracker is not probed: health says DOWN with the circuit state.
 */
class TrackerHealth implements HealthIndicator {

    private final TrackerClient client;
    private final TrackerProperties settings;
    private final CachedHealth probe;
    private final Supplier<List<String>> setupFindings;

    /**
     * @param ttl how long a probe's result is reused
     * @param setupFindings what the start-up {@code tracker-setup} check found missing
     */
    TrackerHealth(
            TrackerClient client,
            TrackerProperties settings,
            Duration ttl,
            Clock clock,
            Supplier<List<String>> setupFindings) {
        this.client = client;
        this.settings = settings;
        this.setupFindings = setupFindings;
        this.probe = new CachedHealth(this::probe, ttl, clock);
    }

    @Override
    public Health health() {
        CircuitBreaker.State state = client.http().circuitState();
        @Nullable Health probed = state == CircuitBreaker.State.CLOSED ? probe.health() : null;
        Health.Builder health = probed != null
                ? Health.status(probed.getStatus()).withDetails(probed.getDetails())
                : Health.down()
                        .withDetail(
                                "reason",
                                "Tracker calls fail fast: the circuit breaker is " + state
                                        + " after repeated failures (429, 5xx or no answer)");
        Failure last = client.http().lastFailure();
        if (last != null) {
            health.withDetail("lastFailure", last.at() + " " + last.description());
        }
        List<String> setup = setupFindings.get();
        if (!setup.isEmpty()) health.withDetail("setup", setup);
        return health.withDetail("circuit", state.name()).build();
    }

    Health probe() {
        try {
            client.myself();
            return Health.up()
                    .withDetail("queue", String.valueOf(settings.queue()))
                    .withDetail("baseUrl", SafeUrls.of(settings.baseUrl()))
                    .build();
        } catch (TrackerException e) {
            String reason = e.status() == 401
                    ? "Tracker rejected the access token (401): check DISPATCH_TRACKER_ACCESSTOKEN"
                    : e.status() == 403
                            ? "Tracker denied access (403): check DISPATCH_TRACKER_ORGID and DISPATCH_TRACKER_ORGTYPE"
                            : e.status() == 0
                                    ? "Tracker unreachable at " + SafeUrls.of(settings.baseUrl()) + ": "
                                            + e.getMessage()
                                    : "Tracker answered " + e.status() + ": " + e.getMessage();
            return Health.down().withDetail("reason", reason).build();
        }
    }
}
