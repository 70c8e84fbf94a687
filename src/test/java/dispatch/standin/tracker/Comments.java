package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue comments and the emails "sent" by email comments; guarded by the {@link Store}'s lock. Adding, editing or
 * deleting a comment is a change of the issue: its {@code version}, {@code updatedAt} and
 * {@code lastCommentUpdatedAt} move.
 */
final class Comments {

    /** One page of a cursor listing; {@code next} is the cursor for the following page or null. */
    record Page(ArrayNode items, Long next) {}

    private final Store store;
    private final Map<String, List<Comment>> byIssue = new HashMap<>();
    private final List<SentEmail> emails = new ArrayList<>();
    private final List<Consumer<SentEmail>> listeners = new CopyOnWriteArrayList<>();
    private long seq = 1000;

    Comments(Store store) {
        this.store = store;
    }

    /** What {@link Store#save} keeps of the comments. */
    record Saved(Map<String, List<Comment>> byIssue, List<SentEmail> emails, long seq) implements Serializable {}

    Saved save() {
        synchronized (store) {
            Map<String, List<Comment>> copy = new HashMap<>();
            byIssue.forEach((key, list) -> copy.put(key, new ArrayList<>(list)));
            return new Saved(copy, new ArrayList<>(emails), seq);
        }
    }

    void restore(Saved saved) {
        synchronized (store) {
            byIssue.clear();
            saved.byIssue().forEach((key, list) -> byIssue.put(key, new ArrayList<>(list)));
            emails.clear();
            emails.addAll(saved.emails());
            seq = saved.seq();
        }
    }

    void clear() {
        synchronized (store) {
            byIssue.clear();
            emails.clear();
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

    /** {@code text}, {@code attachmentIds} and the undocumented {@code email} object (an outgoing email). */
    ObjectNode add(String keyOrId, JsonNode body, long actor, Render r) {
        synchronized (store) {
            Issue issue = store.find(keyOrId);
            String text = body.hasNonNull("text") ? body.get("text").asString() : null;
            ObjectNode email = body.path("email").isObject()
                    ? (ObjectNode) body.get("email").deepCopy()
                    : null;
            List<String> files = new ArrayList<>();
            for (JsonNode id : body.path("attachmentIds").values()) {
                if (!store.fileExists(id.asString())) {
                    throw new TrackerException(400, "attachmentIds", "Attachment not found: " + id.asString());
                }
                files.add(id.asString());
            }
            if ((text == null || text.isBlank()) && email == null && files.isEmpty()) {
                throw new TrackerException(422, "text", "Comment text is required");
            }
            if (email != null && to(email.path("info").path("to")).isEmpty()) {
                throw new TrackerException(422, "email", "Email recipients (email.info.to) are required");
            }
            if (text == null && email != null) {
                text = email.path("text").asString("");
            }
            Instant at = store.tick();
            Comment c = new Comment(seq++, store.hex(), issue.key, text, email, files, at, actor);
            attach(issue, c, at, actor);
            if (email != null) {
                send(issue, c);
            }
            return r.comment(c, store::file);
        }
    }

    Comment addPlain(Issue issue, String text, long actor, Instant at) {
        synchronized (store) {
            Comment c = new Comment(seq++, store.hex(), issue.key, text, null, List.of(), at, actor);
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

    List<SentEmail> sentEmails() {
        synchronized (store) {
            return List.copyOf(emails);
        }
    }

    void onEmailSent(Consumer<SentEmail> listener) {
        listeners.add(listener);
    }

    /**
     * Tracker sends email comments as new threads: a fresh Message-ID, no In-Reply-To/References, its own headers,
     * and the issue key in the subject (the queue setting the upstream enables).
     */
    private void send(Issue issue, Comment c) {
        JsonNode info = c.email.path("info");
        String subject = c.email.path("subject").asString("");
        if (!subject.contains(issue.key)) {
            subject = issue.key + ": " + subject;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Yandex-Tracker-Mail-Type", "comment");
        headers.put("X-Yandex-Tracker-Env", "fake");
        headers.put("X-Tracker-Issue-Key", issue.key);
        headers.put("X-Tracker-Comment-Id", String.valueOf(c.id));
        String messageId = "<" + UUID.randomUUID() + "@tracker.fake>";
        headers.put("Message-ID", messageId);
        List<String> names =
                c.attachmentIds.stream().map(id -> store.file(id).name()).toList();
        SentEmail mail = new SentEmail(
                issue.key,
                c.id,
                messageId,
                info.path("from").asString(""),
                to(info.path("to")),
                to(info.path("cc")),
                subject,
                c.email.path("text").asString(""),
                names,
                Map.copyOf(headers),
                c.createdAt);
        emails.add(mail);
        listeners.forEach(l -> l.accept(mail));
    }

    /** {@code to}/{@code cc} come as a list (upstream) or a comma-separated string (another client). */
    private static List<String> to(JsonNode v) {
        if (v.isArray()) {
            return v.values().stream().map(JsonNode::asString).toList();
        }
        if (v.isString() && !v.stringValue().isBlank()) {
            return List.of(v.stringValue().split("\\s*,\\s*"));
        }
        return List.of();
    }
}
