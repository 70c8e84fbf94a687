package dispatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * Reports API latency and heap: 50,000 incidents (5,000 in the {@code last_month} window) with poles, base stations,
 * operators, contractors and status history; {@code GET /api/v1/incidents?last_month=true} timed from request to last
 * body byte, straight to the app and through the nginx gateway ({@code gateway/nginx.conf} rendered as in
 * {@code gateway/test.sh}, loopback only; skipped when nginx is not installed). Requests through the gateway are paced at 4/s, under the
 * gateway's 5 r/s per-IP limit;
 * straight to the app they follow each other without pause. Run with {@code ./mvnw -Pbench test -Dtest=ReportsBench}.
 */
@DispatchIntegrationTest
@TestPropertySource(properties = "dispatch.api.requests-per-minute=100000")
public class ReportsBench {

    static final int INCIDENTS = Integer.getInteger("bench.incidents", 50_000);
    static final int IN_WINDOW = Integer.getInteger("bench.window", 5_000);
    static final int REQUESTS = Integer.getInteger("bench.requests", 200);
    static final long PACE_MILLIS = 250;
    private static final List<String> SUMMARY = new ArrayList<>();

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void reportLatencyDirectAndThroughTheGateway() throws Exception {
        long t0 = System.nanoTime();
        seed(jdbc);
        report(
                "Seeded %,d incidents (%,d in the last_month window), %,d history rows, %,d poles, %,d base stations"
                        + " in %.0f s",
                count("incident"),
                IN_WINDOW,
                count("incident_status_history"),
                count("pole"),
                count("base_station"),
                (System.nanoTime() - t0) / 1e9);

        String app = "http://127.0.0.1:" + port;
        for (int i = 0; i < 20; i++) fetch(app + "/api/v1/incidents?last_month=true", null); // warm-up
        long heapBefore = HeapSampler.settledUsed();
        report("Heap before (after GC): %,d MB", heapBefore >> 20);

        measure("direct  JSON last_month", app + "/api/v1/incidents?last_month=true", null);
        measure("direct  CSV  last_month", app + "/api/v1/incidents?last_month=true&format=csv", null);
        measure("direct  JSON limit=500 ", app + "/api/v1/incidents?last_month=true&limit=500", null);
        String etag = fetch(app + "/api/v1/incidents?last_month=true", null).etag;
        measure("direct  304 revalidation", app + "/api/v1/incidents?last_month=true", etag);
        measure("direct  JSON all 50,000 ", app + "/api/v1/incidents", null, 20);

        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            report("nginx part SKIPPED: /usr/sbin/nginx is not installed (apt-get install -y nginx)");
        } else {
            try (Gateway gw = Gateway.start(nginx, "127.0.0.1:" + port)) {
                fetch(gw.url + "/api/v1/incidents?last_month=true", null);
                measure("gateway JSON last_month", gw.url + "/api/v1/incidents?last_month=true", null);
                measure("gateway CSV  last_month", gw.url + "/api/v1/incidents?last_month=true&format=csv", null);
            }
        }
        long heapAfter = HeapSampler.settledUsed();
        report("Heap after (after GC): %,d MB (%+,d MB)", heapAfter >> 20, (heapAfter - heapBefore) >> 20);
        printSummary();
    }

    private void measure(String label, String url, String ifNoneMatch) throws Exception {
        measure(label, url, ifNoneMatch, REQUESTS);
    }

    /** Sequential requests; through the gateway paced at 4/s (its limit is 5 r/s per IP). */
    private void measure(String label, String url, String ifNoneMatch, int requests) throws Exception {
        boolean paced = !url.startsWith("http://127.0.0.1:" + port);
        long[] nanos = new long[requests];
        long bytes = 0;
        int status = 0;
        try (HeapSampler heap = HeapSampler.start()) {
            for (int i = 0; i < requests; i++) {
                long start = System.nanoTime();
                Fetched f = fetch(url, ifNoneMatch);
                nanos[i] = System.nanoTime() - start;
                bytes = f.bytes;
                status = f.status;
                long sleep = PACE_MILLIS - nanos[i] / 1_000_000;
                if (paced && sleep > 0) Thread.sleep(sleep);
            }
            report(
                    "%s: %d x %d, %,d bytes each; %s; heap peak used %,d MB, peak after GC %,d MB",
                    label,
                    requests,
                    status,
                    bytes,
                    percentiles(nanos),
                    heap.peakUsed() >> 20,
                    heap.peakAfterGc() >> 20);
        }
    }

    record Fetched(int status, long bytes, String etag) {}

    private Fetched fetch(String url, String ifNoneMatch) throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + StandIns.API_TOKEN);
        if (ifNoneMatch != null) b.header("If-None-Match", ifNoneMatch);
        HttpResponse<InputStream> response = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) bytes += n;
        }
        assertThat(response.statusCode()).isIn(200, 304);
        return new Fetched(
                response.statusCode(),
                bytes,
                response.headers().firstValue("ETag").orElse(null));
    }

    /** Set-based seeding; the window is computed like the API does (1st of the previous month, Moscow). */
    public static void seed(JdbcTemplate jdbc) {
        seed(jdbc, INCIDENTS, IN_WINDOW, 1200);
    }

    /**
     * {@code incidents} in all: {@code inWindow} spread over the {@code last_month} window, the others one every
     * {@code spacingSeconds} before it.
     */
    public static void seed(JdbcTemplate jdbc, int incidents, int inWindow, int spacingSeconds) {
        ZoneId moscow = ZoneId.of("Europe/Moscow");
        Instant now = Instant.now();
        Instant windowStart = LocalDate.now(moscow)
                .withDayOfMonth(1)
                .minusMonths(1)
                .atStartOfDay(moscow)
                .toInstant();
        jdbc.execute("truncate incident, base_station_operator, base_station, operator, pole, contractor, dispatcher"
                + " restart identity cascade");
        jdbc.execute("""
                insert into contractor (name) select 'АВР-' || g from generate_series(1, 200) g;
                insert into contractor_email (contractor_id, email)
                    select c.id, 'avr' || c.id || '-' || k || '@example.test' from contractor c, generate_series(1, 3) k;
                insert into pole (site_id, code, region_ru, address, latitude, longitude, contractor_id)
                    select g, (10000 + g) || '-01', 'Регион ' || g % 80, 'г. Город, ул. Улица, ' || g,
                           50 + (g % 1000) / 100.0, 30 + (g % 2000) / 100.0, 1 + g % 200
                    from generate_series(1, 10000) g;
                insert into base_station (pole_id, name) select id, 'BS-' || id from pole;
                insert into base_station (pole_id, name) select id, 'BS-' || id || '-2' from pole where id % 2 = 0;
                insert into operator (name, group_name) values ('МТС', 'ПАО МТС'), ('Билайн', 'ПАО ВымпелКом'),
                    ('МегаФон', 'ПАО МегаФон'), ('Т2', null), ('Yota', 'ПАО МегаФон');
                insert into base_station_operator (base_station_id, operator_id)
                    select b.id, o.id from base_station b, operator o where (b.id + o.id) % 3 <> 0;
                insert into dispatcher (login) select 'dispatcher' || g from generate_series(1, 10) g;
                """);
        long windowSeconds = now.getEpochSecond() - windowStart.getEpochSecond();
        jdbc.update(
                """
                insert into incident (code, tracker_key, type_id, pole_id, base_station_id, dispatcher_id,
                    incident_at, finished_at, registration_method)
                select 'INC-' || (1000 + g), case when g % 4 <> 0 then 'DISPATCH-' || g end,
                       case when g % 10 <> 0 then 1 + g % 7 end,
                       case when g % 20 <> 0 then 1 + g % 10000 end,
                       case when g % 20 <> 0 and g % 3 <> 0 then 1 + g % 10000 end,
                       case when g % 8 <> 0 then 1 + g % 10 end,
                       at, case when g % 5 <> 0 then at + (g % 48) * interval '1 hour' end,
                       case when g % 9 = 0 then 'MANUAL' else 'EMAIL' end
                from (select g, case when g <= ? then to_timestamp(? + (g - 1) * (?::float8 / ?))
                                     else to_timestamp(? - (g - ?) * ?) end as at
                      from generate_series(1, ?) g) x
                """,
                inWindow,
                windowStart.getEpochSecond(),
                windowSeconds,
                inWindow,
                windowStart.getEpochSecond() - 60,
                inWindow,
                spacingSeconds,
                incidents);
        // History: Новый; В работе; for 60 % a hand-over; for finished ones the closing statuses.
        jdbc.execute("""
                insert into incident_status_history (incident_id, status_id, at)
                select i.id, s.id, i.incident_at + st.after
                from incident i
                join (values ('Новый', interval '0 minutes', 0), ('В работе', interval '10 minutes', 0),
                             ('Передано подрядчику', interval '30 minutes', 1),
                             ('Уведомили о закрытии', interval '5 hours', 2), ('Закрыт', interval '6 hours', 2)) st(name, after, kind)
                  on st.kind = 0 or (st.kind = 1 and i.id % 5 < 3) or (st.kind = 2 and i.finished_at is not null)
                join incident_status s on s.name = st.name
                """);
        jdbc.execute("analyze");
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    /** nginx in front of the app with the production gateway template, on a free loopback port. */
    private static final class Gateway implements AutoCloseable {
        final String url;
        private final Process process;
        private final Path dir;

        private Gateway(String url, Process process, Path dir) {
            this.url = url;
            this.process = process;
            this.dir = dir;
        }

        static Gateway start(Path nginx, String backend) throws Exception {
            Path dir = Files.createTempDirectory("dispatch-bench-nginx");
            Files.createDirectories(dir.resolve("logs"));
            dir.toFile().setReadable(true, false);
            dir.toFile().setExecutable(true, false);
            int port = freePort();
            int healthPort = freePort();
            String server = Files.readString(Path.of("gateway", "nginx.conf"))
                    .replace("${DISPATCH_BACKEND}", backend)
                    .replace("${DISPATCH_HSTS_MAX_AGE}", "0")
                    .replace("    listen 80;", "    listen 127.0.0.1:" + port + ";")
                    .replace("    listen 127.0.0.1:8081;", "    listen 127.0.0.1:" + healthPort + ";")
                    .replace("/var/log/nginx", dir.resolve("logs").toString());
            Files.writeString(dir.resolve("server.conf"), server);
            Files.writeString(dir.resolve("nginx.conf"), """
                    daemon off;
                    worker_processes 1;
                    pid %1$s/nginx.pid;
                    error_log %1$s/logs/main-error.log warn;
                    events { worker_connections 256; }
                    http {
                        default_type application/octet-stream;
                        client_body_temp_path %1$s/client_body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        include %1$s/server.conf;
                    }
                    """.formatted(dir));
            Process process = new ProcessBuilder(
                            nginx.toString(),
                            "-p",
                            dir + "/",
                            "-c",
                            dir.resolve("nginx.conf").toString(),
                            "-e",
                            dir.resolve("logs/startup-error.log").toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                    .start();
            for (int i = 0; i < 100; i++) {
                try (Socket ignored = new Socket("127.0.0.1", port)) {
                    return new Gateway("http://127.0.0.1:" + port, process, dir);
                } catch (IOException e) {
                    if (!process.isAlive()) break;
                    Thread.sleep(50);
                }
            }
            process.destroy();
            throw new IllegalStateException("nginx did not start; see " + dir.resolve("logs"));
        }

        private static int freePort() throws IOException {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
            report("nginx logs kept in %s", dir);
        }
    }

    /** p50, p99 and max of request times. */
    public static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format(
                "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                at(sorted, 50), at(sorted, 99), sorted[sorted.length - 1] / 1e6);
    }

    private static double at(long[] sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    private static void printSummary() throws IOException {
        List<String> block = new ArrayList<>();
        block.add("==== ReportsBench " + LocalDate.now() + " ====");
        block.add(String.format(
                "Machine: %d cores, Java %s, embedded PostgreSQL on the same machine, client in the same JVM.",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        block.addAll(SUMMARY);
        block.add("==== end ====");
        block.forEach(System.out::println);
        Path file = Path.of("target", "bench", "ReportsBench.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, block);
    }

    private static void report(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println("[bench] " + line);
        SUMMARY.add(line);
    }
}
