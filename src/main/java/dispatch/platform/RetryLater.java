package dispatch.platform;

import java.time.Duration;

/** Thrown by an {@link OutboxHandler} that cannot proceed yet, to be called again after a given wait. */
public class RetryLater extends RuntimeException {

    private final Duration wait;
    private final boolean attempted;

    /** Nothing was done (e.g. told to wait by a rate limit): the attempt is not counted. */
    public RetryLater(String reason, Duration wait) {
        this(reason, wait, false);
    }

    /**
     * @param attempted true when the effect may have happened (an answer was lost): the attempt counts, so the next
     *     call sees {@code attempt > 1} and checks before acting again
     */
    public RetryLater(String reason, Duration wait, boolean attempted) {
        super(reason);
        this.wait = wait;
        this.attempted = attempted;
    }

    public Duration waitFor() {
        return wait;
    }

    public boolean attempted() {
        return attempted;
    }
}
