package dispatch.standin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dispatch.standin.telegram.FakeTelegram;
import dispatch.standin.towerstore.FakeTowerStore;
import dispatch.standin.tracker.FakeTracker;
import dispatch.standin.tracker.TrackerControl;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fake Tracker, TowerStore and Telegram as a process of their own, so that the service can be killed and restarted
 * against a world that outlives it. The fake Tracker's issues are written to {@code --state} every second (and on a
 * normal stop) and read back on the next start; what the stand-ins hold is readable over HTTP on
 * {@code --inspect-port}: {@code /tracker/issues}, {@code /tracker/issues/<key>/comments}, {@code /tracker/calls},
 * {@code /telegram/messages}, {@code /towerstore/requests}. Run it with {@code proof/standins.sh}; settings are
 * {@code --name=value} arguments, defaults in {@link #main}.
 */
public final class StandInProcess {

    private StandInProcess() {}

    /** The default settings; each can be given as {@code --name=value}. */
    static Map<String, String> defaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("state", "target/standins");
        settings.put("tracker-port", "8081");
        settings.put("towerstore-port", "8082");
        settings.put("telegram-port", "8083");
        settings.put("inspect-port", "8084");
        settings.put("towerstore-reports", "data/samples/towerstore");
        return settings;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> settings = defaults();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !settings.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + arg + "; known: " + settings.keySet());
            }
            settings.put(kv[0], kv[1]);
        }
        Running running = start(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(running::close));
        System.out.printf(
                "Stand-ins up: Tracker %s (org %s), TowerStore %s, Telegram %s, inspection http://127.0.0.1:%d, state %s%n",
                running.tracker().baseUrl(),
                running.tracker().settings().orgId(),
                running.towerStore().baseUrl(),
                running.telegram().baseUrl(),
                running.inspectPort(),
                running.trackerState().toAbsolutePath());
        Thread.currentThread().join(); // until stopped
    }

    /** The stand-ins of one process; closing saves the fake Tracker's state and stops them. */
    record Running(
            FakeTracker tracker,
            FakeTowerStore towerStore,
            FakeTelegram telegram,
            HttpServer inspect,
            ScheduledExecutorService saver,
            Path trackerState)
            implements AutoCloseable {

        int inspectPort() {
            return inspect.getAddress().getPort();
        }

        @Override
        public void close() {
            saver.shutdownNow();
            save(tracker, trackerState);
            inspect.stop(0);
            telegram.close();
            towerStore.close();
            tracker.close();
        }
    }

    static Running start(Map<String, String> settings) throws IOException, ClassNotFoundException {
        Path state = Path.of(settings.get("state"));
        Files.createDirectories(state);
        Path trackerState = state.resolve("tracker.ser");
        FakeTracker tracker = FakeTracker.start(FakeTracker.Settings.builder()
                .port(port(settings, "tracker-port"))
                .build());
        if (Files.exists(trackerState)) {
            tracker.load(trackerState);
        }
        FakeTowerStore towerStore =
                FakeTowerStore.start(port(settings, "towerstore-port"), Path.of(settings.get("towerstore-reports")));
        FakeTelegram telegram = FakeTelegram.start(port(settings, "telegram-port"));
        HttpServer inspect = inspection(port(settings, "inspect-port"), tracker, towerStore, telegram);
        ScheduledExecutorService saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "standin-saver");
            t.setDaemon(true);
            return t;
        });
        long every = SAVE_INTERVAL.toMillis();
        saver.scheduleWithFixedDelay(() -> save(tracker, trackerState), every, every, TimeUnit.MILLISECONDS);
        return new Running(tracker, towerStore, telegram, inspect, saver, trackerState);
    }

    private static int port(Map<String, String> settings, String name) {
        return Integer.parseInt(settings.get(name));
    }

    private static void save(FakeTracker tracker, Path file) {
        try {
            tracker.save(file);
        } catch (IOException | RuntimeException e) {
            System.err.println("Fake Tracker state not saved to " + file + ": " + e);
        }
    }

    /** Read-only JSON views of what the stand-ins hold. */
    static HttpServer inspection(int port, FakeTracker tracker, FakeTowerStore towerStore, FakeTelegram telegram)
            throws IOException {
        HttpServer server = Loopback.server(port, 16);
        server.createContext("/tracker/issues", exchange -> {
            String[] parts = exchange.getRequestURI().getPath().split("/");
            // /tracker/issues or /tracker/issues/<key>/comments
            answer(
                    exchange,
                    () -> parts.length == 5 && parts[4].equals("comments")
                            ? tracker.comments(parts[3])
                            : tracker.issues());
        });
        server.createContext("/tracker/calls", exchange -> answer(exchange, tracker::calls));
        TrackerControl.register(server, tracker);
        server.createContext("/telegram/messages", exchange -> answer(exchange, telegram::messages));
        server.createContext(
                "/towerstore/requests",
                exchange -> answer(exchange, () -> {
                    Map<String, Integer> requests = new LinkedHashMap<>();
                    FakeTowerStore.REPORTS.forEach(r -> requests.put(r, towerStore.requests(r)));
                    return requests;
                }));
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "standin-inspect");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, Supplier<?> body) throws IOException {
        try (exchange) {
            int status = 200;
            byte[] bytes;
            try {
                bytes = JsonMapper.shared().writeValueAsBytes(body.get());
            } catch (RuntimeException e) {
                status = 404;
                bytes = JsonMapper.shared().writeValueAsBytes(Map.of("error", String.valueOf(e.getMessage())));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** How long a save may lag a change: what a SIGKILL of this process (not of the service) can lose. */
    static final Duration SAVE_INTERVAL = Duration.ofSeconds(1);
}
