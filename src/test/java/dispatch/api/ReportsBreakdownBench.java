package dispatch.api;

import dispatch.bench.ReportsBench;
import dispatch.standin.DispatchIntegrationTest;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Where the time of {@code GET /api/v1/incidents?last_month=true} goes, on the data of {@link ReportsBench}: the
 * statement's plan ({@code EXPLAIN ANALYZE}), the statement read through the cursor, plus row mapping, plus JSON
 * written to nowhere. HTTP is what {@link ReportsBench} measures on top. Run with
 * {@code ./mvnw -Pbench test -Dtest=ReportsBreakdownBench}.
 */
@DispatchIntegrationTest
@EnabledIfSystemProperty(named = "bench", matches = "true") // not with -Dtest='dispatch.api.**'
class ReportsBreakdownBench {

    static final int RUNS = Integer.getInteger("bench.runs", 30);
    static final ZoneId ZONE = ZoneId.of("Europe/Moscow");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JdbcClient client;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    IncidentReports reports;

    @Test
    void breakDownTheReportTime() {
        ReportsBench.seed(jdbc);
        Instant now = ReportQuery.truncate(Instant.now());
        ReportQuery query = ReportQuery.parse(
                new ReportQuery.Raw("true", null, null, null, null, null, null, null, null, null, null),
                null,
                now,
                ZONE);
        Map<String, Object> params = new LinkedHashMap<>();
        String sql = IncidentReports.sql(query, now, params);
        TransactionTemplate readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);

        for (int i = 0; i < 5; i++) statementOnly(readOnly, sql, params);
        System.out.println("[breakdown] EXPLAIN (ANALYZE, BUFFERS) of the last_month statement:");
        client.sql("explain (analyze, buffers) " + sql).params(params).query(String.class).list().stream()
                .map(line -> "[breakdown]   " + line)
                .forEach(System.out::println);

        // The same statement with the ETag's fingerprint left out, to see what hashing every matched row costs.
        String noFingerprint = sql.replace("coalesce(sum(hashint8extended(version, 0)), 0)", "0");
        long[] statement = new long[RUNS];
        long[] unhashed = new long[RUNS];
        long[] mapped = new long[RUNS];
        long[] json = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            statement[i] = statementOnly(readOnly, sql, params);
            unhashed[i] = statementOnly(readOnly, noFingerprint, params);
            mapped[i] = timed(() -> reports.stream(query, now, consumer(null)));
            json[i] = timed(() -> {
                JsonReportWriter writer = new JsonReportWriter(OutputStream.nullOutputStream(), false);
                reports.stream(query, now, consumer(writer));
                writer.end();
            });
        }
        System.out.printf(
                "[breakdown] %d runs, median (min) ms: statement through the cursor %s (without the fingerprint %s);"
                        + " + row mapping %s; + rendering and JSON %s%n",
                RUNS, median(statement), median(unhashed), median(mapped), median(json));
    }

    private long statementOnly(TransactionTemplate readOnly, String sql, Map<String, Object> params) {
        return timed(() -> readOnly.executeWithoutResult(
                status -> client.sql(sql).params(params).withFetchSize(500).query((ResultSet rs) -> {
                    while (rs.next()) {
                        // only the rows' transfer
                    }
                    return Boolean.TRUE;
                })));
    }

    private IncidentReports.Consumer consumer(JsonReportWriter writer) {
        Instant now = Instant.now();
        return new IncidentReports.Consumer() {
            @Override
            public boolean start(IncidentReports.Summary summary) {
                if (writer != null) writer.begin();
                return true;
            }

            @Override
            public void row(ReportRow row) throws java.io.IOException {
                if (writer == null) return;
                writer.beginRow();
                row.render(now, ZONE, writer);
                writer.endRow();
            }
        };
    }

    private static long timed(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return System.nanoTime() - start;
    }

    private static String median(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("%.1f (%.1f)", sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6);
    }
}
