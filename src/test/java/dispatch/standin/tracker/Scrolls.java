package dispatch.standin.tracker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Open scroll searches. A scroll is a snapshot: the hits are rendered when it starts. Thread-safe. */
final class Scrolls {

    /** One scroll page; {@code last} means no {@code X-Scroll-Id} is sent. */
    record Page(String id, String token, ArrayNode items, int total, boolean last) {}

    private static final class Scroll {
        final String token = UUID.randomUUID().toString();
        final List<ObjectNode> items;
        final int perScroll;
        int position;
        long expiresAt;

        Scroll(List<ObjectNode> items, int perScroll) {
            this.items = items;
            this.perScroll = perScroll;
        }
    }

    private final Map<String, Scroll> open = new HashMap<>();

    synchronized Page start(String id, List<ObjectNode> items, int perScroll, long ttlMillis) {
        Scroll s = new Scroll(items, perScroll);
        open.put(id, s);
        return page(id, s, ttlMillis);
    }

    synchronized Page next(String id, String token, long ttlMillis) {
        Scroll s = open.get(id);
        if (s == null || System.currentTimeMillis() > s.expiresAt) {
            open.remove(id);
            throw TrackerException.notFound("scroll " + id + " (expired or cleared)");
        }
        if (token != null && !token.equals(s.token)) {
            throw TrackerException.badRequest("Invalid scrollToken");
        }
        return page(id, s, ttlMillis);
    }

    private Page page(String id, Scroll s, long ttlMillis) {
        s.expiresAt = System.currentTimeMillis() + ttlMillis;
        ArrayNode items = Json.array();
        int end = Math.min(s.items.size(), s.position + s.perScroll);
        s.items.subList(s.position, end).forEach(items::add);
        s.position = end;
        return new Page(id, s.token, items, s.items.size(), end >= s.items.size());
    }

    synchronized void clear(Iterable<String> ids) {
        ids.forEach(open::remove);
    }

    synchronized void clearAll() {
        open.clear();
    }
}
