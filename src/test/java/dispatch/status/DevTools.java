package dispatch.status;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Headless Chromium driven over the DevTools protocol (a WebSocket of JSON commands): just what the status page's
 * browser run needs. Every wait is bounded; {@link #close} stops the browser and its user-data directory goes.
 */
final class DevTools implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Process chromium;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    private DevTools(Process chromium, Path profile, WebSocket socket) {
        this.chromium = chromium;
        this.profile = profile;
        this.socket = socket;
    }

    /** Starts {@code chromium} headless on a free debugging port and attaches to its first page. */
    static DevTools start(String chromium) throws Exception {
        Path profile = Files.createTempDirectory("dispatch-chromium");
        Process process = new ProcessBuilder(
                        chromium,
                        "--headless",
                        "--no-sandbox", // root in a container: the sandbox needs user namespaces
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--no-first-run",
                        "--remote-debugging-address=127.0.0.1",
                        "--remote-debugging-port=0",
                        "--remote-allow-origins=*",
                        "--user-data-dir=" + profile,
                        "about:blank")
                .redirectErrorStream(true)
                .redirectOutput(profile.resolve("chromium.log").toFile())
                .start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            Instant deadline = Instant.now().plus(WAIT);
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!process.isAlive() || Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Chromium did not open its debugging port: "
                            + Files.readString(profile.resolve("chromium.log")));
                }
                Thread.sleep(100);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            String targets = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                                    .timeout(WAIT)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            String page = null;
            for (JsonNode target : JSON.readTree(targets)) {
                if ("page".equals(target.path("type").asString())) {
                    page = target.path("webSocketDebuggerUrl").asString();
                }
            }
            if (page == null) throw new IllegalStateException("Chromium has no page: " + targets);
            Listener listener = new Listener();
            WebSocket socket = http.newWebSocketBuilder()
                    .buildAsync(URI.create(page), listener)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            DevTools tools = new DevTools(process, profile, socket);
            listener.tools = tools;
            return tools;
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Sends one command and waits for its result. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(JSON.writeValueAsString(Map.of("id", id, "method", method, "params", params)), true)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JsonNode reply = answer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
        return reply.path("result");
    }

    /** The value of a JavaScript expression in the page. */
    JsonNode eval(String expression) throws Exception {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        if (result.has("exceptionDetails")) {
            throw new IllegalStateException(expression + ": " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    void navigate(String url) throws Exception {
        call("Page.navigate", Map.of("url", url));
    }

    /**
     * Waits until a page has loaded whose address ends with {@code path} and that is not the page the last
     * {@link #press} left (a new page has no {@code window.dispatchLeft}).
     */
    void waitForPage(String path) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                last = eval("document.readyState + ' ' + !window.dispatchLeft + ' ' + location.pathname")
                        .asString();
                if (last.equals("complete true " + path)) return;
            } catch (IllegalStateException e) {
                last = e.getMessage(); // between two pages
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no page at " + path + " within " + WAIT + "; last saw " + last);
    }

    /** Clicks the element (a form's button), marking the page so {@link #waitForPage} waits for the next one. */
    void press(String selector) throws Exception {
        eval("window.dispatchLeft = true; document.querySelector(" + JSON.writeValueAsString(selector)
                + ").click(); true");
    }

    /** Lays the page out at this width and takes a PNG of its whole height. */
    byte[] screenshot(int width, boolean mobile) throws Exception {
        call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", 800, "deviceScaleFactor", 1, "mobile", mobile));
        int height = eval("document.documentElement.scrollHeight").asInt();
        call(
                "Emulation.setDeviceMetricsOverride",
                Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", mobile));
        String png = call("Page.captureScreenshot", Map.of("format", "png"))
                .path("data")
                .asString();
        return java.util.Base64.getDecoder().decode(png);
    }

    @Override
    public void close() throws IOException {
        try {
            call("Browser.close", Map.of());
        } catch (Exception e) {
            // it may close the socket before it answers
        }
        socket.abort();
        try {
            if (!chromium.waitFor(10, TimeUnit.SECONDS))
                chromium.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            chromium.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    /** Collects a message's fragments and hands each answer to the command waiting for it. */
    private static final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private volatile DevTools tools;

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                JsonNode message = JSON.readTree(text.toString());
                text.setLength(0);
                if (message.has("id") && tools != null) {
                    CompletableFuture<JsonNode> waiting =
                            tools.pending.remove(message.get("id").asInt());
                    if (waiting != null) waiting.complete(message);
                }
            }
            socket.request(1);
            return null;
        }
    }
}
