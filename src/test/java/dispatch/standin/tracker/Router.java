package dispatch.standin.tracker;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dispatch.standin.tracker.FakeTracker.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The HTTP front of the fake: parses the call, counts it, applies latency, rate limit and faults, checks the
 * token and organisation header, and dispatches to the route handlers.
 */
final class Router implements HttpHandler {

    interface Handler {
        Http.Response handle(Http.Request request, Render render);
    }

    private record Route(String method, Pattern pattern, String name, Handler handler, boolean open) {}

    private static final Pattern VERSIONED = Pattern.compile("^/(v2|v3)(/.*)$");

    private final Settings settings;
    private final Store store;
    private final Tokens tokens;
    private final Faults faults;
    private final List<Route> routes = new ArrayList<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final Deque<Long> searchCalls = new ArrayDeque<>();
    private volatile Duration latency;

    Router(Settings settings, Store store, Tokens tokens, Faults faults) {
        this.settings = settings;
        this.store = store;
        this.tokens = tokens;
        this.faults = faults;
        this.latency = settings.latency();
        new IssueRoutes(store).register(this);
        new CommentRoutes(store).register(this);
        new DirectoryRoutes(store).register(this);
        new FieldRoutes(store).register(this);
        routes.add(new Route("POST", Pattern.compile("/token/?"), "POST /token", this::token, true));
    }

    void baseUrl(String baseUrl) {
        store.baseUrl(baseUrl);
    }

    /** Registers {@code METHOD template}; {@code {x}} captures a segment, a trailing slash is optional. */
    void add(String method, String template, Handler handler) {
        String regex = Faults.trim(template).replaceAll("\\{[^/]+}", "([^/]+)");
        routes.add(new Route(method, Pattern.compile(regex + "/?"), method + " " + template, handler, false));
    }

    Map<String, Integer> calls() {
        return calls.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(), (a, b) -> a, TreeMap::new));
    }

    void resetCalls() {
        calls.clear();
    }

    void latency(Duration latency) {
        this.latency = latency;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Http.Response response = process(exchange);
            if (response != null) {
                write(exchange, response);
            }
        } catch (RuntimeException e) {
            write(exchange, Http.Response.json(500, TrackerException.errorBody(500, null, String.valueOf(e))));
        } finally {
            exchange.close(); // before any response was sent this drops the connection: the injected faults
        }
    }

    /** Null means: close the connection without an answer. */
    private Http.Response process(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String method = exchange.getRequestMethod().toUpperCase();
        String fullPath = exchange.getRequestURI().getPath();
        Matcher versioned = VERSIONED.matcher(fullPath);
        String version = versioned.matches() ? versioned.group(1) : "";
        String path = versioned.matches() ? versioned.group(2) : fullPath;
        Http.Request request = new Http.Request(
                method,
                version,
                path,
                Http.parseForm(exchange.getRequestURI().getRawQuery()),
                exchange.getRequestHeaders(),
                body,
                List.of());
        Route route = null;
        Matcher m = null;
        for (Route r : routes) {
            m = r.pattern.matcher(path);
            if (m.matches() && r.method.equals(method) && (r.open == version.isEmpty())) {
                route = r;
                break;
            }
        }
        String name = route != null ? route.name : method + " " + path;
        calls.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
        sleep(latency);
        Fault fault = faults.take(method, route != null ? route.name.substring(method.length() + 1) : path, path);
        if (fault instanceof Fault.Delay d) {
            sleep(d.duration());
        } else if (fault instanceof Fault.TooManyRequests t) {
            return tooManyRequests(t.retryAfterSeconds());
        } else if (fault instanceof Fault.ServerError s) {
            return Http.Response.json(
                    s.status(), TrackerException.errorBody(s.status(), null, "Injected server error"));
        } else if (fault instanceof Fault.DropConnection) {
            return null;
        }
        Http.Response response = dispatch(route, m, request);
        return fault instanceof Fault.ApplyThenDrop ? null : response;
    }

    private Http.Response dispatch(Route route, Matcher m, Http.Request request) {
        try {
            // Tracker checks the caller before it looks at the path: an unknown path without a token is a 401 too.
            if (route == null ? !request.version().isEmpty() : !route.open) {
                authorize(request);
            }
            if (route == null) {
                throw TrackerException.notFound(request.method() + " " + request.path());
            }
            if (!route.open) {
                requireJson(request, route);
                if (route.name.endsWith("/_search") || route.name.endsWith("/_count")) {
                    rateLimit();
                }
            }
            List<String> captured = new ArrayList<>();
            for (int i = 1; i <= m.groupCount(); i++) {
                captured.add(m.group(i));
            }
            return route.handler.handle(request.withParams(captured), store.render(request.version()));
        } catch (TrackerException e) {
            Http.Response error = Http.Response.json(e.status, e.body());
            return e.status == 429 ? error.header("Retry-After", "1") : error;
        }
    }

    private void authorize(Http.Request request) {
        String auth = request.header("Authorization");
        String token = null;
        if (auth != null) {
            String[] parts = auth.trim().split("\\s+", 2);
            if (parts.length == 2 && (parts[0].equalsIgnoreCase("OAuth") || parts[0].equalsIgnoreCase("Bearer"))) {
                token = parts[1];
            }
        }
        if (!tokens.valid(token)) {
            throw new TrackerException(401, "Not authorized: missing, invalid or expired token");
        }
        List<String> orgs = new ArrayList<>();
        request.headers().forEach((k, v) -> {
            if (k.equalsIgnoreCase("X-Org-ID") || k.equalsIgnoreCase("X-Cloud-Org-ID")) {
                orgs.addAll(v);
            }
        });
        if (orgs.size() != 1) {
            throw new TrackerException(403, "Exactly one of X-Org-ID or X-Cloud-Org-ID is required");
        }
        if (!orgs.get(0).trim().equals(settings.orgId())) {
            throw new TrackerException(403, "Organization " + orgs.get(0) + " is not available");
        }
    }

    /**
     * A body is JSON and says so, as every Tracker client sends it; uploads are {@code multipart/form-data}. A form
     * or a text body would be misread by Tracker, so the fake refuses it instead of guessing.
     */
    private static void requireJson(Http.Request request, Route route) {
        if (request.body().length == 0) {
            return;
        }
        String type = request.header("Content-Type");
        String expected = route.name.endsWith("/attachments/") ? "multipart/form-data" : "application/json";
        if (type == null || !type.trim().toLowerCase(java.util.Locale.ROOT).startsWith(expected)) {
            throw new TrackerException(415, "Content-Type must be " + expected + ", got " + type);
        }
    }

    /** Tracker guarantees ~5 rps for search and count; beyond the configured rate the fake answers 429. */
    private void rateLimit() {
        int limit = settings.searchRateLimit();
        if (limit <= 0) {
            return;
        }
        synchronized (searchCalls) {
            long now = System.nanoTime();
            while (!searchCalls.isEmpty() && now - searchCalls.peekFirst() > 1_000_000_000L) {
                searchCalls.pollFirst();
            }
            if (searchCalls.size() >= limit) {
                throw new TrackerException(429, "Too many requests");
            }
            searchCalls.addLast(now);
        }
    }

    private Http.Response token(Http.Request request, Render render) {
        return tokens.refresh(
                Http.parseForm(new String(request.body(), java.nio.charset.StandardCharsets.UTF_8)),
                request.header("Authorization"));
    }

    private static Http.Response tooManyRequests(int retryAfter) {
        return Http.Response.json(429, TrackerException.errorBody(429, null, "Too many requests"))
                .header("Retry-After", String.valueOf(retryAfter));
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void write(HttpExchange exchange, Http.Response response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        if (response.contentType() != null) {
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
        }
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }
}
