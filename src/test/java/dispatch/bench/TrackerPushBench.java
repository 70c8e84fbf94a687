package dispatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Time to push a backlog of new incidents (default 1,000, one mail each) to a fake Tracker answering every call after
 * 20 ms. Run with {@code ./mvnw -Pbench test -Dtest=TrackerPushBench [-Ddispatch.outbox.concurrency=1]}.
 */
@DispatchIntegrationTest
class TrackerPushBench {

    static final int INCIDENTS = Integer.getInteger("bench.incidents", 1_000);
    static final int LATENCY_MS = Integer.getInteger("bench.latency", 20);

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void pushBacklog() throws Exception {
        for (int i = 0; i < INCIDENTS; i++) {
            standIns.mail()
                    .append(
                            "INBOX",
                            ("Message-ID: <bench-" + i + "@op.example>\r\nFrom: noc@op.example\r\n"
                                            + "To: dispatch@example.test\r\nSubject: Авария " + i
                                            + "\r\nDate: Fri, 20 Nov 2026 10:00:00 +0300\r\nContent-Type: text/plain;"
                                            + " charset=utf-8\r\n\r\nНет питания на объекте " + i + "\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
        }
        intake.pollOnce();
        threading.threadPending();
        long queued = jdbc.queryForObject("select count(*) from outbox where status = 'PENDING'", Long.class);

        FakeTracker tracker = standIns.tracker();
        tracker.latency(Duration.ofMillis(LATENCY_MS));
        tracker.resetCalls();
        long start = System.nanoTime();
        while (jdbc.queryForObject("select count(*) from outbox where status <> 'DONE'", Long.class) > 0) {
            outbox.drain();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int calls =
                tracker.calls().values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Integer> byRoute = tracker.calls();

        assertThat(tracker.issues()).hasSize(INCIDENTS);
        String summary = String.format(
                "TrackerPushBench: %d incidents (%d outbox rows), fake latency %d ms, concurrency %s%n"
                        + "  pushed in %.1f s = %.0f incidents/s; %d calls (%s)%n"
                        + "  one call at a time would need at least %.1f s (calls x latency)%n",
                INCIDENTS,
                queued,
                LATENCY_MS,
                System.getProperty("dispatch.outbox.concurrency", "4 (default)"),
                seconds,
                INCIDENTS / seconds,
                calls,
                byRoute,
                calls * LATENCY_MS / 1000.0);
        System.out.println(summary);
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/TrackerPushBench.txt"), summary);
    }
}
