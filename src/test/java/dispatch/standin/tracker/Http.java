package dispatch.standin.tracker;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The request and response values the routes work with, independent of {@code HttpExchange}. */
final class Http {

    private Http() {}

    /**
     * One parsed request. {@code version} is {@code v2}/{@code v3} (empty for {@code /token}); {@code path}
     * is the path without the version prefix, {@code params} the captured path segments.
     */
    record Request(
            String method,
            String version,
            String path,
            Map<String, String> query,
            Map<String, List<String>> headers,
            byte[] body,
            List<String> params) {

        String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String param(int i) {
            return params.get(i);
        }

        String query(String name) {
            return query.get(name);
        }

        int intQuery(String name, int fallback) {
            String v = query.get(name);
            if (v == null || v.isBlank()) {
                return fallback;
            }
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw TrackerException.badRequest("Invalid value of parameter " + name + ": " + v);
            }
        }

        /** The JSON body; an empty body reads as {@code {}}. */
        JsonNode json() {
            if (body.length == 0) {
                return Json.object();
            }
            try {
                return Json.MAPPER.readTree(body);
            } catch (JacksonException e) {
                throw new TrackerException(400, "Malformed JSON: " + e.getOriginalMessage());
            }
        }

        Request withParams(List<String> captured) {
            return new Request(method, version, path, query, headers, body, captured);
        }
    }

    /** A response; {@code body} null means no body (204). */
    record Response(int status, Map<String, String> headers, byte[] body, String contentType) {

        static Response json(int status, JsonNode node) {
            return new Response(status, new LinkedHashMap<>(), Json.bytes(node), "application/json; charset=utf-8");
        }

        static Response ok(JsonNode node) {
            return json(200, node);
        }

        static Response noContent() {
            return new Response(204, new LinkedHashMap<>(), null, null);
        }

        static Response text(int status, String text) {
            return new Response(
                    status,
                    new LinkedHashMap<>(),
                    text.getBytes(StandardCharsets.UTF_8),
                    "application/json; charset=utf-8");
        }

        Response header(String name, String value) {
            headers.put(name, value);
            return this;
        }
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return out;
    }
}
