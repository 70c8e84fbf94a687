package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void bucketRefillsOverTheMinuteAndEachNameHasItsOwn() {
        RateLimiter limiter =
                new RateLimiter(new ApiProperties(Map.of(), Map.of(), true, 60, null, List.of("127.0.0.1")));
        long t = 0;
        for (int i = 0; i < 60; i++) assertThat(limiter.acquire("a", t)).isZero();

        assertThat(limiter.acquire("a", t)).isEqualTo(1);
        assertThat(limiter.acquire("b", t)).isZero();
        assertThat(limiter.acquire("a", t + 1_000_000_000L)).isZero();
    }
}
