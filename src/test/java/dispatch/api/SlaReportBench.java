package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.bench.ReportsBench;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * {@code GET /api/v1/reports/sla} at 500,000 incidents over ~10 years ({@link ReportsBench}'s data: 7 types, 80
 * regions, 200 contractors, 10 dispatchers, status history; incidents older than a month all finished), timed from
 * request to last body byte for a month, a year and everything, per {@code group_by}; plus the statement's plan.
 * Prints figures, asserts nothing about time. Run with {@code ./mvnw -Pbench test -Dtest=SlaReportBench}
 * ({@code -Dbench.sla.incidents}, {@code -Dbench.sla.requests} to change the sizes).
 */
@DispatchIntegrationTest
@EnabledIfSystemProperty(named = "bench", matches = "true")
@TestPropertySource(properties = "dispatch.api.requests-per-minute=1000000")
class SlaReportBench {

    static final int INCIDENTS = Integer.getInteger("bench.sla.incidents", 500_000);
    static final int REQUESTS = Integer.getInteger("bench.sla.requests", 200);
    /** "Everything" takes seconds a request on a shared machine: fewer of them. */
    static final int REQUESTS_ALL = Integer.getInteger("bench.sla.requestsAll", 20);
    /** Tried and dropped after the timings: does reading narrow index entries instead of the rows pay? */
    static final String CANDIDATE_INDEX = "create index sla_candidate_idx on incident_report (incident_at) include"
            + " (type_name, region_ru, vendor, dispatcher, finished_at, sla_deadline, sla_minutes, handed_over_at,"
            + " vendor_finished_at, vendor_deadline)";

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JdbcClient client;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    final List<String> summary = new ArrayList<>();

    @Test
    void slaStatisticsLatencyPerPeriodAndGrouping() throws Exception {
        long t0 = System.nanoTime();
        // one every 630 s before last month's window: ~9.9 years in all
        ReportsBench.seed(jdbc, INCIDENTS, 5_000, 630);
        jdbc.update("update incident set finished_at = incident_at + (id % 72) * interval '1 hour'"
                + " where finished_at is null and incident_at < now() - interval '1 month'");
        int refreshed = jdbc.queryForObject("select incident_report_refresh_stale()", Integer.class);
        jdbc.execute("vacuum analyze incident_report");
        report(
                "Seeded %,d incidents (%s .. %s), %,d report rows refreshed, in %.0f s",
                count("incident"),
                jdbc.queryForObject("select min(incident_at)::date from incident", String.class),
                jdbc.queryForObject("select max(incident_at)::date from incident", String.class),
                refreshed,
                (System.nanoTime() - t0) / 1e9);

        LocalDate today = LocalDate.now(MOSCOW);
        List<Period> periods = List.of(
                new Period("month", today.withDayOfMonth(1).minusMonths(1), today.withDayOfMonth(1)),
                new Period("year", today.minusYears(1), today.plusDays(1)),
                new Period("all", today.minusYears(11), today.plusDays(1)));
        periods.forEach(this::explain);
        String app = "http://127.0.0.1:" + port + "/api/v1/reports/sla?";
        for (int i = 0; i < 10; i++) fetch(app + periods.get(1).query()); // warm-up
        for (Period period : periods) {
            int requests = period.label().equals("all") ? REQUESTS_ALL : REQUESTS;
            for (SlaReportQuery.GroupBy g : SlaReportQuery.GroupBy.values()) {
                String url = app + period.query() + "&group_by=" + g.parameterValue();
                measure(period.label() + " " + g.parameterValue(), url, requests);
            }
        }
        measure("all type CSV", app + periods.get(2).query() + "&group_by=type&format=csv", REQUESTS_ALL);
        jdbc.execute(CANDIDATE_INDEX);
        jdbc.execute("vacuum analyze incident_report");
        report("With the candidate index: %s", CANDIDATE_INDEX);
        periods.forEach(this::explain);
        jdbc.execute("drop index sla_candidate_idx");
        printSummary();
    }

    record Period(String label, LocalDate from, LocalDate to) {
        String query() {
            return "from=" + from + "&to=" + to;
        }
    }

    private void explain(Period period) {
        SlaReportQuery query = SlaReportQuery.parse(
                Map.of("from", new String[] {period.from().toString()}, "to", new String[] {
                    period.to().toString()
                }),
                null,
                Instant.now(),
                MOSCOW);
        System.out.println("[sla-bench] EXPLAIN (ANALYZE, BUFFERS), " + period.label() + " by region:");
        List<String> plan = client.sql("explain (analyze, buffers) " + SlaReports.sql(SlaReportQuery.GroupBy.REGION))
                .param("start", OffsetDateTime.ofInstant(query.start(), ZoneOffset.UTC))
                .param("end", OffsetDateTime.ofInstant(query.end(), ZoneOffset.UTC))
                .param("now", OffsetDateTime.now(ZoneOffset.UTC))
                .query(String.class)
                .list();
        plan.forEach(line -> System.out.println("[sla-bench]   " + line));
        String scans = plan.stream()
                .filter(line -> line.contains(" Scan "))
                .map(line -> line.strip().replaceAll("\\s+\\(cost=.*", ""))
                .reduce((a, b) -> a + "; " + b)
                .orElse("?");
        report(
                "plan %s by region: %s, %s",
                period.label(), scans, plan.get(plan.size() - 1).strip());
    }

    private void measure(String label, String url, int requests) throws Exception {
        long[] nanos = new long[requests];
        long bytes = 0;
        for (int i = 0; i < requests; i++) {
            long start = System.nanoTime();
            bytes = fetch(url);
            nanos[i] = System.nanoTime() - start;
        }
        report("%-22s %d requests, %,6d bytes: %s", label, requests, bytes, ReportsBench.percentiles(nanos));
    }

    private long fetch(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + StandIns.API_TOKEN)
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream in = response.body()) {
            bytes = in.readAllBytes().length;
        }
        assertThat(response.statusCode()).isEqualTo(200);
        return bytes;
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    private void report(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("[sla-bench] " + line);
        summary.add(line);
    }

    private void printSummary() throws IOException {
        List<String> block = new ArrayList<>();
        block.add("==== SlaReportBench " + LocalDate.now() + " ====");
        block.add(String.format(
                "Machine: %d cores (load average %.1f), Java %s, embedded PostgreSQL, client in the same JVM.",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                        .getSystemLoadAverage(),
                System.getProperty("java.version")));
        block.addAll(summary);
        block.add("==== end ====");
        block.forEach(System.out::println);
        Path file = Path.of("target", "bench", "SlaReportBench.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, block);
    }
}
