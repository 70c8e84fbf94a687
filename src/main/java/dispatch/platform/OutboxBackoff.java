package dispatch.platform;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * How long a failed delivery waits before its next attempt: exponential from {@code initial}, capped at {@code max},
 * with jitter between half and the whole step (so messages that failed together do not retry together).
 *
 * @param random {@code random.applyAsLong(bound)} draws uniformly from {@code [0, bound)}
 */
record OutboxBackoff(Duration initial, Duration max, LongUnaryOperator random) {

    static OutboxBackoff of(OutboxProperties settings) {
        return new OutboxBackoff(
                settings.initialBackoff(),
                settings.maxBackoff(),
                bound -> ThreadLocalRandom.current().nextLong(bound));
    }

    Duration after(int attempt) {
        long step = Math.min(max.toMillis(), initial.toMillis() << Math.min(attempt - 1, 30));
        return Duration.ofMillis(step / 2 + random.applyAsLong(step / 2 + 1));
    }
}
