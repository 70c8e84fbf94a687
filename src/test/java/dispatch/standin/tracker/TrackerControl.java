package dispatch.standin.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a test or the proof does to the fake Tracker of {@link StandInProcess} from outside, on its inspection port:
 * {@code POST /control/faults?p=0.3&seed=7} makes that share of calls fail (429 with Retry-After 1 s, 500, a 1.5 s
 * delay, a dropped connection, or a dropped connection after the change was applied), {@code p=0} stops it;
 * {@code POST /control/next?pattern=POST%20/issues/&fault=applyThenDrop} queues one fault for the next matching call
 * (faults {@code applyThenDrop}, {@code drop}, {@code 429}, {@code 500}, {@code slow}; patterns as in {@link Faults});
 * {@code GET /control/faults} lists what fired; {@code POST /control/transition?key=DISPATCH-1&status=closed} moves
 * an issue as a dispatcher would in Tracker's UI.
 */
public final class TrackerControl {

    private TrackerControl() {}

    public static void register(HttpServer server, FakeTracker tracker) {
        server.createContext("/control/faults", exchange -> {
            Map<String, String> q = query(exchange);
            if (exchange.getRequestMethod().equals("POST")) {
                double p = Double.parseDouble(q.getOrDefault("p", "0"));
                if (p == 0) {
                    tracker.faults().stopFailingRandomly();
                } else {
                    tracker.faults()
                            .failRandomly(
                                    p,
                                    Long.parseLong(q.getOrDefault("seed", "1")),
                                    Fault.respond429(1),
                                    Fault.respond5xx(500),
                                    Fault.delay(Duration.ofMillis(1500)),
                                    Fault.dropConnection(),
                                    Fault.applyThenDrop());
                }
            }
            reply(exchange, 200, tracker.faults().fired());
        });
        server.createContext("/control/next", exchange -> {
            Map<String, String> q = query(exchange);
            try {
                tracker.faults().next(q.get("pattern"), fault(q.getOrDefault("fault", "")));
                reply(exchange, 200, Map.of("pending", tracker.faults().pending()));
            } catch (RuntimeException e) {
                reply(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
            }
        });
        server.createContext("/control/transition", exchange -> {
            Map<String, String> q = query(exchange);
            if (!exchange.getRequestMethod().equals("POST")) {
                reply(exchange, 405, Map.of("error", "POST only"));
                return;
            }
            try {
                tracker.transition(q.get("key"), q.get("status"));
                reply(exchange, 200, Map.of("key", q.get("key"), "status", tracker.statusKey(q.get("key"))));
            } catch (RuntimeException e) {
                reply(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
            }
        });
    }

    private static Fault fault(String name) {
        return switch (name) {
            case "applyThenDrop" -> Fault.applyThenDrop();
            case "drop" -> Fault.dropConnection();
            case "429" -> Fault.respond429(1);
            case "500" -> Fault.respond5xx(500);
            case "slow" -> Fault.delay(Duration.ofMillis(1500));
            default -> throw new IllegalArgumentException("fault is applyThenDrop, drop, 429, 500 or slow: " + name);
        };
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return q;
    }

    private static void reply(HttpExchange exchange, int status, Object body) throws IOException {
        try (exchange) {
            byte[] bytes = Json.MAPPER.writeValueAsBytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
