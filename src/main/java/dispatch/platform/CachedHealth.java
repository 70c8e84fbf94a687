package dispatch.platform;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * A health indicator that probes an outside system at most once per interval, so that frequent health checks do not
 * hammer a mail server or an API with logins.
 */
public final class CachedHealth implements HealthIndicator {

    private final Supplier<Health> probe;
    private final Duration ttl;
    private final Clock clock;
    private Health last;
    private Instant probedAt = Instant.MIN;

    public CachedHealth(Supplier<Health> probe, Duration ttl, Clock clock) {
        this.probe = probe;
        this.ttl = ttl;
        this.clock = clock;
    }

    @Override
    public synchronized Health health() {
        Instant now = clock.instant();
        if (last == null || probedAt.plus(ttl).isBefore(now)) {
            last = probe.get();
            probedAt = now;
        }
        return last;
    }
}
