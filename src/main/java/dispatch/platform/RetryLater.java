package dispatch.platform;

import java.time.Duration;

/** Thrown by an {@link OutboxHandler} that cannot proceed yet (e.g. told to wait by a rate limit). */
public class RetryLater extends RuntimeException {

    private final Duration wait;

    public RetryLater(String reason, Duration wait) {
        super(reason);
        this.wait = wait;
    }

    public Duration waitFor() {
        return wait;
    }
}
