package dispatch.tracker;

import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A Tracker call that did not succeed after the client's retries: an HTTP error status (with Tracker's error
 * messages), an I/O failure, or the circuit breaker being open ({@code status} 0 for the latter two).
 */
class TrackerException extends RuntimeException {

    private final int status;
    private final @Nullable Duration retryAfter;

    TrackerException(int status, String message, @Nullable Throwable cause) {
        this(status, message, cause, null);
    }

    TrackerException(int status, String message, @Nullable Throwable cause, @Nullable Duration retryAfter) {
        super(message, cause);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status, or 0 when no answer came. */
    int status() {
        return status;
    }

    boolean notFound() {
        return status == 404;
    }

    /** Worth trying again later: no answer, 429, 5xx, or the circuit is open. */
    boolean transientFailure() {
        return status == 0 || status == 429 || status >= 500;
    }

    /**
     * How long Tracker asked us to wait (a 429's {@code Retry-After} longer than the client waits by itself), or how
     * long the circuit stays open; empty when there is no such hint.
     */
    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
