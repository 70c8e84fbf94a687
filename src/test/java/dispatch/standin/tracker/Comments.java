package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue comments; guarded by the {@link Store}'s lock. Adding, editing or
 * deleting a comment is a change of the issue: its {@code version}, {@code updatedAt} and
 * {@code lastCommentUpdatedAt} move.
 */
final class Comments {

    /** One page of a cursor listing; {@code next} is the cursor for the following page or null. */
    record Page(ArrayNode items, Long next) {}

    private final Store store;
    private final Map<String, List<Comment>> byIssue = new HashMap<>();
    private long seq = 1000;

    Comments(Store store) {
        this.store = store;
    }

    /** What {@link Store#save} keeps of the comments. */
    record Saved(Map<String, List<Comment>> byIssue, long seq) implements Serializable {}

    Saved save() {
        synchronized (store) {
            Map<String, List<Comment>> copy = new HashMap<>();
            byIssue.forEach((key, list) -> copy.put(key, new ArrayList<>(list)));
            return new Saved(copy, seq);
        }
    }

    void restore(Saved saved) {
        synchronized (store) {
            byIssue.clear();
            saved.byIssue().forEach((key, list) -> byIssue.put(key, new ArrayList<>(list)));
            seq = saved.seq();
        }
    }

    void clear() {
        synchronized (store) {
            byIssue.clear();
        }
    }

    Page list(String keyOrId, Long after, int perPage, Render r) {
        synchronized (store) {
            Issue issue = store.find(keyOrId);
            List<Comment> all = byIssue.getOrDefault(issue.key, List.of());
            ArrayNode items = Json.array();
            Long last = null;
            int remaining = 0;
            for (Comment c : all) {
                if (after != null && c.id <= after) {
                    continue;
                }
                if (items.size() < perPage) {
                    items.add(r.comment(c, store::file));
                    last = c.id;
                } else {
                    remaining++;
                }
            }
            return new Page(items, remaining > 0 ? last : null);
        }
    }

    /** {@code text} and {@code attachmentIds}. */
    ObjectNode add(String keyOrId, JsonNode body, long actor, Render r) {
        synchronized (store) {
            Issue issue = store.find(keyOrId);
            String text = body.hasNonNull("text") ? body.get("text").asString() : null;
            List<String> files = new ArrayList<>();
            for (JsonNode id : body.path("attachmentIds").values()) {
                if (!store.fileExists(id.asString())) {
                    throw new TrackerException(400, "attachmentIds", "Attachment not found: " + id.asString());
                }
                files.add(id.asString());
            }
            if ((text == null || text.isBlank()) && files.isEmpty()) {
                throw new TrackerException(422, "text", "Comment text is required");
            }
            Instant at = store.tick();
            Comment c = new Comment(seq++, store.hex(), issue.key, text, files, at, actor);
            attach(issue, c, at, actor);
            return r.comment(c, store::file);
        }
    }

    Comment addPlain(Issue issue, String text, long actor, Instant at) {
        synchronized (store) {
            Comment c = new Comment(seq++, store.hex(), issue.key, text, List.of(), at, actor);
            byIssue.computeIfAbsent(issue.key, k -> new ArrayList<>()).add(c);
            issue.lastCommentUpdatedAt = at;
            return c;
        }
    }

    private void attach(Issue issue, Comment c, Instant at, long actor) {
        byIssue.computeIfAbsent(issue.key, k -> new ArrayList<>()).add(c);
        issue.lastCommentUpdatedAt = at;
        issue.touch(at, actor);
    }

    ObjectNode edit(String keyOrId, long id, JsonNode body, long actor, Render r) {
        synchronized (store) {
            Issue issue = store.find(keyOrId);
            Comment c = find(issue, id);
            if (!body.path("text").isString()) {
                throw new TrackerException(422, "text", "Comment text is required");
            }
            if (!body.get("text").stringValue().equals(c.text)) {
                Instant at = store.tick();
                c.text = body.get("text").stringValue();
                c.version++;
                c.updatedAt = at;
                c.updatedBy = actor;
                issue.lastCommentUpdatedAt = at;
                issue.touch(at, actor);
            }
            return r.comment(c, store::file);
        }
    }

    void delete(String keyOrId, long id, long actor) {
        synchronized (store) {
            Issue issue = store.find(keyOrId);
            Comment c = find(issue, id);
            byIssue.get(issue.key).remove(c);
            issue.touch(store.tick(), actor);
        }
    }

    private Comment find(Issue issue, long id) {
        return byIssue.getOrDefault(issue.key, List.of()).stream()
                .filter(c -> c.id == id)
                .findFirst()
                .orElseThrow(() -> TrackerException.notFound("comment " + id));
    }

    List<Map<String, Object>> snapshots(String key) {
        synchronized (store) {
            Render r = store.render("v2");
            return byIssue.getOrDefault(store.find(key).key, List.of()).stream()
                    .map(c -> Store.toMap(r.comment(c, store::file)))
                    .toList();
        }
    }
}
