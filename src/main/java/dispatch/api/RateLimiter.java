package dispatch.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * A token bucket per API token name: {@code requestsPerMinute} requests at once, refilled evenly over the minute. In
 * memory, so per instance (one instance today); the gateway limits per client IP besides.
 */
@Component
class RateLimiter {

    private final double capacity;
    private final double perNano;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(ApiProperties settings) {
        this.capacity = settings.requestsPerMinute();
        this.perNano = settings.requestsPerMinute() / 60e9;
    }

    /** Takes one request from the token's bucket; returns 0 when allowed, else the seconds to wait. */
    long acquire(String tokenName) {
        return acquire(tokenName, System.nanoTime());
    }

    /** As {@link #acquire(String)} at a given {@link System#nanoTime()} (tests). */
    long acquire(String tokenName, long now) {
        return buckets.computeIfAbsent(tokenName, n -> new Bucket(capacity, now))
                .take(now);
    }

    private final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perNano / 1e9));
        }
    }
}
