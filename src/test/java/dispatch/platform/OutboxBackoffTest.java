package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutboxBackoffTest {

    private static final Duration INITIAL = Duration.ofSeconds(2);
    private static final Duration MAX = Duration.ofMinutes(1);

    @Test
    void eachAttemptDoublesTheStepAndTheJitterKeepsItBetweenHalfAndWhole() {
        OutboxBackoff least = new OutboxBackoff(INITIAL, MAX, bound -> 0);
        OutboxBackoff most = new OutboxBackoff(INITIAL, MAX, bound -> bound - 1);

        assertThat(least.after(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(most.after(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(least.after(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(most.after(3)).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void theStepStopsAtTheMaximumHoweverManyAttemptsFailed() {
        OutboxBackoff most = new OutboxBackoff(INITIAL, MAX, bound -> bound - 1);

        assertThat(most.after(6)).isEqualTo(MAX);
        assertThat(most.after(1_000)).isEqualTo(MAX);
        assertThat(new OutboxBackoff(INITIAL, MAX, bound -> 0).after(1_000)).isEqualTo(Duration.ofSeconds(30));
    }
}
