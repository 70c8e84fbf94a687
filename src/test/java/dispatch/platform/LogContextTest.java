package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What one job put in the log context is gone when the next job runs on the same pooled thread. */
class LogContextTest {

    @Test
    void aJobThatFailsLeavesNothingForTheNextJobOnThePooledThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> failing = pool.submit(() -> {
                try (var incident = LogContext.put(LogContext.INCIDENT, "INC-1");
                        var id = LogContext.put(LogContext.OUTBOX_ID, 42L)) {
                    throw new IllegalStateException("delivery failed");
                }
            });
            assertThatThrownBy(failing::get).hasRootCauseMessage("delivery failed");

            String[] seen = pool.submit(
                            () -> new String[] {MDC.get(LogContext.INCIDENT), MDC.get(LogContext.OUTBOX_ID)})
                    .get();

            assertThat(seen).containsOnlyNulls();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anInnerScopeGivesBackTheOuterValue() {
        try (var outer = LogContext.put(LogContext.INCIDENT, "INC-1")) {
            try (var inner = LogContext.put(LogContext.INCIDENT, "INC-2")) {
                assertThat(MDC.get(LogContext.INCIDENT)).isEqualTo("INC-2");
            }
            assertThat(MDC.get(LogContext.INCIDENT)).isEqualTo("INC-1");
            try (var none = LogContext.put(LogContext.INCIDENT, null)) {
                assertThat(MDC.get(LogContext.INCIDENT)).isEqualTo("INC-1");
            }
        }
        assertThat(MDC.get(LogContext.INCIDENT)).isNull();
    }

    @Test
    void aSendersMessageIdIsBounded() {
        try (var id = LogContext.put(LogContext.MESSAGE_ID, "<" + "x".repeat(100_000) + "@spam>")) {
            assertThat(MDC.get(LogContext.MESSAGE_ID)).hasSize(256);
        }
    }
}
