package dispatch.tracker;

import org.jspecify.annotations.Nullable;

/**
 * A Tracker call that did not succeed after the client's retries: an HTTP error status (with Tracker's error
 * messages), an I/O failure, or the circuit breaker being open ({@code status} 0 for the latter two).
 */
class TrackerException extends RuntimeException {

    private final int status;

    TrackerException(int status, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
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
}
