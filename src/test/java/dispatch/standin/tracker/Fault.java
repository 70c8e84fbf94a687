package dispatch.standin.tracker;

import java.time.Duration;

/** A one-shot misbehaviour of the fake Tracker, queued with {@link Faults#next(Fault)}. */
public sealed interface Fault {

    /** Answers 429 with {@code Retry-After: <seconds>} instead of handling the call. */
    record TooManyRequests(int retryAfterSeconds) implements Fault {}

    /** Answers the given 5xx status with a Tracker error body instead of handling the call. */
    record ServerError(int status) implements Fault {}

    /** Waits, then handles the call normally (for client read timeouts). */
    record Delay(Duration duration) implements Fault {}

    /** Closes the connection without handling the call or answering. */
    record DropConnection() implements Fault {}

    /** Handles the call (the change is stored) and then closes the connection without answering. */
    record ApplyThenDrop() implements Fault {}

    static Fault respond429(int retryAfterSeconds) {
        return new TooManyRequests(retryAfterSeconds);
    }

    static Fault respond5xx(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("not a 5xx status: " + status);
        }
        return new ServerError(status);
    }

    static Fault delay(Duration duration) {
        return new Delay(duration);
    }

    static Fault dropConnection() {
        return new DropConnection();
    }

    static Fault applyThenDrop() {
        return new ApplyThenDrop();
    }
}
