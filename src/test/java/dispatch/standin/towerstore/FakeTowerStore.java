package dispatch.standin.towerstore;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dispatch.standin.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * In-process stand-in for TowerStore: serves the three JSON reports over real HTTP on 127.0.0.1.
 *
 * <p>{@code GET /reports/<report>.json} answers with the file {@code <report>.json} from the reports directory
 * (read on every request), unless a test replaced the body with {@link #serve}. Report names may be given with or
 * without {@code .json}. Every request to a report path is counted, including failed and unauthorised ones.
 */
public final class FakeTowerStore implements AutoCloseable {

    /** The reports TowerStore publishes. */
    public static final List<String> REPORTS = List.of("poles", "contractors", "base_stations");

    private static final String PREFIX = "/reports/";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path reportsDir;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final Map<String, Integer> failing = new ConcurrentHashMap<>();
    private final Map<String, Queue<Integer>> failNext = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private volatile String requiredHeaderName;
    private volatile String requiredHeaderValue;

    private FakeTowerStore(HttpServer server, ExecutorService executor, Path reportsDir) {
        this.server = server;
        this.executor = executor;
        this.reportsDir = reportsDir;
        REPORTS.forEach(r -> requests.put(r, new AtomicInteger()));
    }

    /** Starts the server on 127.0.0.1; {@code port} 0 picks a free port. */
    public static FakeTowerStore start(int port, Path reportsDir) {
        try {
            HttpServer server = Loopback.server(port, 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "fake-towerstore");
                t.setDaemon(true);
                return t;
            });
            FakeTowerStore fake = new FakeTowerStore(server, executor, reportsDir);
            server.createContext(PREFIX, fake::handle);
            server.setExecutor(executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Full URL of a report, e.g. {@code url("poles")} → {@code http://127.0.0.1:<port>/reports/poles.json}. */
    public String url(String report) {
        return baseUrl() + PREFIX + name(report) + ".json";
    }

    /** Serves {@code body} for the report from now on instead of the file, and clears a {@link #fail}. */
    public void serve(String report, byte[] body) {
        served.put(name(report), body.clone());
        failing.remove(name(report));
    }

    /** Answers every request for the report with {@code status} until {@link #recover} or {@link #serve}. */
    public void fail(String report, int status) {
        failing.put(name(report), status);
    }

    /** Answers the next request for the report with {@code status}; calls queue up. */
    public void failNext(String report, int status) {
        failNext.computeIfAbsent(name(report), r -> new ConcurrentLinkedQueue<>())
                .add(status);
    }

    /** Ends a {@link #fail} for the report. */
    public void recover(String report) {
        failing.remove(name(report));
    }

    /** From now on requests without header {@code name: value} get 401; {@code null} name lifts the rule. */
    public void requireHeader(String name, String value) {
        this.requiredHeaderValue = value;
        this.requiredHeaderName = name;
    }

    /** Requests received for the report so far (all outcomes). */
    public int requests(String report) {
        return requests.get(name(report)).get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String file = path.substring(PREFIX.length());
            String report = file.endsWith(".json") ? file.substring(0, file.length() - 5) : null;
            if (report == null || !REPORTS.contains(report)) {
                send(exchange, 404, "text/plain; charset=utf-8", "Not Found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            requests.get(report).incrementAndGet();
            if (!"GET".equals(exchange.getRequestMethod())) {
                exchange.getResponseHeaders().add("Allow", "GET");
                send(exchange, 405, "text/plain; charset=utf-8", new byte[0]);
                return;
            }
            String header = requiredHeaderName;
            if (header != null
                    && !requiredHeaderValue.equals(exchange.getRequestHeaders().getFirst(header))) {
                send(exchange, 401, "text/plain; charset=utf-8", "Unauthorized\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Integer status = nextFailure(report);
            if (status != null) {
                byte[] body = ("TowerStore error " + status + "\n").getBytes(StandardCharsets.UTF_8);
                send(exchange, status, "text/plain; charset=utf-8", body);
                return;
            }
            byte[] body = served.get(report);
            if (body == null) {
                Path source = reportsDir.resolve(report + ".json");
                if (!Files.isRegularFile(source)) {
                    send(
                            exchange,
                            404,
                            "text/plain; charset=utf-8",
                            "No such report\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                body = Files.readAllBytes(source);
            }
            send(exchange, 200, "application/json; charset=utf-8", body);
        }
    }

    private Integer nextFailure(String report) {
        Queue<Integer> queue = failNext.get(report);
        Integer next = queue == null ? null : queue.poll();
        return next != null ? next : failing.get(report);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    private static String name(String report) {
        String name = report.endsWith(".json") ? report.substring(0, report.length() - 5) : report;
        if (!REPORTS.contains(name)) {
            throw new IllegalArgumentException("unknown report " + report + ", expected one of " + REPORTS);
        }
        return name;
    }
}
