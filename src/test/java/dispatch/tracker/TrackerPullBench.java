package dispatch.tracker;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Tracker requests per minute in steady state: 2,000 open issues, nothing changes, one pull every 10 s (the default),
 * beside the old service's approach against the same fake (every 3 s, page through every open issue updated in the
 * last 30 days with {@code perPage=1000} until an empty page; every 60 s the same for closed issues). Simulated time:
 * both the application's and the fake's clock move 10 s per cycle. Run with
 * {@code ./mvnw -Pbench test -Dtest=TrackerPullBench}.
 */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
class TrackerPullBench {

    static final int OPEN = Integer.getInteger("bench.open", 2_000);
    static final int MINUTES = Integer.getInteger("bench.minutes", 5);
    private final List<String> summary = new ArrayList<>();

    @Autowired
    TrackerPull pull;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TowerStore towerStore;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    ShiftedClock clock;

    @Test
    void requestsPerMinuteWithOpenIssuesAndNoChange() throws Exception {
        FakeTracker tracker = standIns.tracker();
        PullFixture fixture = new PullFixture(jdbc, tracker, towerStore, towerStoreImport);
        fixture.reset();
        fixture.openIssues(OPEN, Instant.now().minus(1, ChronoUnit.HOURS));
        tick(tracker, Duration.ofMinutes(5));

        tracker.resetCalls();
        long sweepStart = System.nanoTime();
        TrackerPull.Report sweep = pull.pullOnce();
        long sweepMillis = (System.nanoTime() - sweepStart) / 1_000_000;
        int sweepCalls = total(tracker);
        report(
                "Full sweep of %,d open issues: %d search request(s), %d request(s) in all, %,d ms, %d writes",
                OPEN, sweep.searches(), sweepCalls, sweepMillis, fixture.writes());

        tracker.resetCalls();
        int cycles = MINUTES * 6;
        long start = System.nanoTime();
        for (int i = 0; i < cycles; i++) {
            tick(tracker, Duration.ofSeconds(10));
            pull.pullOnce();
        }
        double perCycleMillis = (System.nanoTime() - start) / 1e6 / cycles;
        double perMinute = total(tracker) / (double) MINUTES;
        report(
                "Pull every 10 s, %d simulated minutes, no change: %.1f requests/min (%.1f _search), %d writes,"
                        + " %.1f ms per cycle",
                MINUTES, perMinute, fixture.searches() / (double) MINUTES, fixture.writes(), perCycleMillis);
        report("  with the hourly full sweep spread over the hour: %.1f requests/min", perMinute + sweepCalls / 60.0);

        tracker.resetCalls();
        int openLoop = oldLoop(tracker, "open");
        int closedLoop = oldLoop(tracker, "closed");
        report(
                "Old approach: open-issue loop %d requests per run x 20 runs/min + closed-issue loop %d per run x 1/min"
                        + " = %d requests/min (both loops every 3 s: %d/min)",
                openLoop, closedLoop, openLoop * 20 + closedLoop, (openLoop + closedLoop) * 20);
        print();
    }

    /** One run of the old service's loop: {@code perPage=1000} pages of issues in the statuses until an empty page. */
    private int oldLoop(FakeTracker tracker, String which) throws Exception {
        String statuses = which.equals("closed")
                ? "[\"closed\",\"onGeneration\"]"
                : "[\"open\",\"inProgress\",\"needAcceptance\",\"error\",\"notifyOperatorInWork\","
                        + "\"notifiedOperatorInWork\",\"notifyOperatorClosed\",\"notifiedOperatorClosed\","
                        + "\"notifyContractorInWork\",\"notifiedContractorInWork\"]";
        Instant now = Instant.now().plus(Duration.ofDays(1));
        String body = "{\"filter\":{\"status\":" + statuses + ",\"queue\":\"DISPATCH\",\"updatedAt\":{\"from\":\""
                + now.minus(Duration.ofDays(30)) + "\",\"to\":\"" + now + "\"}}}";
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        int requests = 0;
        for (int page = 1; ; page++) {
            HttpResponse<String> answer = http.send(
                    HttpRequest.newBuilder(
                                    URI.create(tracker.baseUrl() + "/v2/issues/_search?page=" + page + "&perPage=1000"))
                            .header(
                                    "Authorization",
                                    "OAuth " + tracker.settings().accessToken())
                            .header("X-Org-ID", tracker.settings().orgId())
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            requests++;
            if (answer.body().equals("[]")) return requests;
        }
    }

    private void tick(FakeTracker tracker, Duration by) {
        clock.shift(by);
        tracker.advanceClock(by);
    }

    private static int total(FakeTracker tracker) {
        return tracker.calls().values().stream().mapToInt(Integer::intValue).sum();
    }

    private void report(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("[bench] " + line);
        summary.add(line);
    }

    private void print() throws Exception {
        List<String> block = new ArrayList<>();
        block.add("==== TrackerPullBench " + LocalDate.now() + " ====");
        block.add(String.format(
                "Machine: %d cores, Java %s, fake Tracker and embedded PostgreSQL in the same JVM/machine.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        block.addAll(summary);
        block.add("==== end ====");
        block.forEach(System.out::println);
        Path file = Path.of("target", "bench", "TrackerPullBench.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, block);
    }
}
