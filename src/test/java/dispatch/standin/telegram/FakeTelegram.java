package dispatch.standin.telegram;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dispatch.standin.Loopback;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * In-process stand-in for the Telegram Bot API on 127.0.0.1: {@code sendMessage} and {@code getMe} under
 * {@code /bot<token>/}, parameters from the query string, a JSON body or a form body, answers shaped like the real
 * API. The text is echoed as sent (the real API strips Markdown and returns entities instead).
 */
public final class FakeTelegram implements AutoCloseable {

    /** A message the fake accepted. {@code chatId} as sent (a number or {@code @channel}). */
    public record SentMessage(String token, String chatId, String text, String parseMode) {}

    private static final Pattern PATH = Pattern.compile("/bot(\\d+:[A-Za-z0-9_-]+)/([A-Za-z]+)");
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final int MAX_TEXT = 4096;

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<SentMessage> messages = new CopyOnWriteArrayList<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();
    private final AtomicInteger messageIds = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();

    private record Fault(int status, Integer retryAfterSeconds) {}

    private FakeTelegram(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts the server on 127.0.0.1; {@code port} 0 picks a free port. */
    public static FakeTelegram start(int port) {
        try {
            HttpServer server = Loopback.server(port, 0);
            ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "fake-telegram");
                t.setDaemon(true);
                return t;
            });
            FakeTelegram fake = new FakeTelegram(server, executor);
            server.createContext("/", fake::handle);
            server.setExecutor(executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code http://127.0.0.1:<port>}, to be used where {@code https://api.telegram.org} would be. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Messages accepted so far, in arrival order; failed attempts are not recorded. */
    public List<SentMessage> messages() {
        return List.copyOf(messages);
    }

    /** Bot API calls received so far, including failed ones. */
    public int requests() {
        return requests.get();
    }

    /**
     * Answers the next API call with an error like Telegram's; calls queue up. {@code retryAfterSeconds} adds
     * {@code parameters.retry_after} (and, for 429, the "retry after N" description).
     */
    public void failNext(int status, Integer retryAfterSeconds) {
        faults.add(new Fault(status, retryAfterSeconds));
    }

    /** Forgets recorded messages, counters and pending faults. */
    public void clear() {
        messages.clear();
        faults.clear();
        requests.set(0);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                send(exchange, error(404, "Not Found", null));
                return;
            }
            requests.incrementAndGet();
            Fault fault = faults.poll();
            if (fault != null) {
                send(exchange, error(fault.status(), describe(fault), fault.retryAfterSeconds()));
                return;
            }
            String token = path.group(1);
            String method = path.group(2).toLowerCase(Locale.ROOT);
            String verb = exchange.getRequestMethod();
            if (!verb.equals("GET") && !verb.equals("POST")) {
                send(exchange, error(405, "Method Not Allowed", null));
                return;
            }
            Map<String, String> params;
            try {
                params = params(exchange);
            } catch (RuntimeException e) {
                send(exchange, error(400, "Bad Request: can't parse request body", null));
                return;
            }
            switch (method) {
                case "getme" -> send(exchange, ok(bot(token)));
                case "sendmessage" -> sendMessage(exchange, token, params);
                default -> send(exchange, error(404, "Not Found: method not found", null));
            }
        }
    }

    private void sendMessage(HttpExchange exchange, String token, Map<String, String> params) throws IOException {
        String chatId = params.get("chat_id");
        String text = params.get("text");
        if (chatId == null || chatId.isBlank()) {
            send(exchange, error(400, "Bad Request: chat_id is empty", null));
        } else if (text == null || text.isBlank()) {
            send(exchange, error(400, "Bad Request: message text is empty", null));
        } else if (text.codePointCount(0, text.length()) > MAX_TEXT) {
            send(exchange, error(400, "Bad Request: message is too long", null));
        } else {
            messages.add(new SentMessage(token, chatId, text, params.get("parse_mode")));
            ObjectNode result = JSON.createObjectNode();
            result.put("message_id", messageIds.incrementAndGet());
            result.set("from", bot(token));
            ObjectNode chat = result.putObject("chat");
            if (chatId.matches("-?\\d+")) {
                chat.put("id", Long.parseLong(chatId));
                chat.put("type", chatId.startsWith("-") ? "supergroup" : "private");
            } else {
                chat.put("id", -1001000000000L - Math.abs(chatId.hashCode() % 1000));
                chat.put("username", chatId.replaceFirst("^@", ""));
                chat.put("type", "channel");
            }
            result.put("date", System.currentTimeMillis() / 1000);
            result.put("text", text);
            send(exchange, ok(result));
        }
    }

    private static ObjectNode bot(String token) {
        ObjectNode bot = JSON.createObjectNode();
        bot.put("id", Long.parseLong(token.substring(0, token.indexOf(':'))));
        bot.put("is_bot", true);
        bot.put("first_name", "Dispatch Test Bot");
        bot.put("username", "dispatch_test_bot");
        return bot;
    }

    private static Map<String, String> params(HttpExchange exchange) throws IOException {
        Map<String, String> params = new HashMap<>();
        parseForm(exchange.getRequestURI().getRawQuery(), params);
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (body.length == 0) {
            return params;
        }
        String type = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
        if (type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            JsonNode json = JSON.readTree(body);
            for (Map.Entry<String, JsonNode> e : json.properties()) {
                JsonNode v = e.getValue();
                params.put(e.getKey(), v.isValueNode() ? v.asString() : v.toString());
            }
        } else {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
        }
        return params;
    }

    private static void parseForm(String form, Map<String, String> into) {
        if (form == null || form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            into.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
    }

    private static String describe(Fault fault) {
        return switch (fault.status()) {
            case 400 -> "Bad Request: chat not found";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden: bot was blocked by the user";
            case 404 -> "Not Found";
            case 429 ->
                fault.retryAfterSeconds() == null
                        ? "Too Many Requests"
                        : "Too Many Requests: retry after " + fault.retryAfterSeconds();
            case 502 -> "Bad Gateway";
            default -> fault.status() >= 500 ? "Internal Server Error" : "Error " + fault.status();
        };
    }

    private static Reply ok(JsonNode result) {
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", true);
        body.set("result", result);
        return new Reply(200, body);
    }

    private static Reply error(int status, String description, Integer retryAfter) {
        ObjectNode body = JSON.createObjectNode();
        body.put("ok", false);
        body.put("error_code", status);
        body.put("description", description);
        if (retryAfter != null) {
            body.putObject("parameters").put("retry_after", retryAfter);
        }
        return new Reply(status, body);
    }

    private record Reply(int status, JsonNode body) {}

    private static void send(HttpExchange exchange, Reply reply) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(reply.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
