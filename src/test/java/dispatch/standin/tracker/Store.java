package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Settings;
import dispatch.standin.tracker.FakeTracker.Status;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fake's issues, their ids and keys, uniques, files and the clock. Every method is synchronized: the fake is a
 * test tool, one lock keeps it obviously correct. Comments live in {@link Comments}, which shares this lock.
 */
final class Store {

    final Settings settings;
    final Catalog catalog;
    final FieldCodec codec;
    final Search search;
    final Comments comments;
    private final Map<String, Issue> issues = new LinkedHashMap<>();
    private final Map<String, String> keyById = new HashMap<>();
    private final Map<String, String> keyByUnique = new HashMap<>();
    private final Map<String, Attachment> files = new HashMap<>();
    private final String hexPrefix =
            String.format("%08x", ThreadLocalRandom.current().nextInt());
    private long hexSeq;
    private int issueSeq;
    private long fileSeq = 5000;
    private Duration offset = Duration.ZERO;
    private Instant last = Instant.EPOCH;
    private volatile String baseUrl = "http://127.0.0.1";

    Store(Settings settings) {
        this.settings = settings;
        this.catalog = new Catalog(settings);
        this.codec = new FieldCodec(catalog);
        this.search = new Search(catalog, this::now);
        this.comments = new Comments(this);
    }

    void baseUrl(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    Render render(String version) {
        return new Render(baseUrl, version, catalog);
    }

    /** Milliseconds like Tracker; strictly increasing so sync by {@code updatedAt} never misses a change. */
    synchronized Instant tick() {
        Instant now = settings.clock().instant().plus(offset).truncatedTo(ChronoUnit.MILLIS);
        last = now.isAfter(last) ? now : last.plusMillis(1);
        return last;
    }

    /** The fake's current time, without claiming a timestamp. */
    synchronized Instant now() {
        return settings.clock().instant().plus(offset);
    }

    synchronized void advanceClock(Duration d) {
        offset = offset.plus(d);
    }

    synchronized String hex() {
        return hexPrefix + String.format("%016x", ++hexSeq);
    }

    private final List<Runnable> resetHooks = new ArrayList<>();

    void onReset(Runnable hook) {
        resetHooks.add(hook);
    }

    synchronized void reset() {
        resetHooks.forEach(Runnable::run);
        catalog.unreachable.clear();
        issues.clear();
        keyById.clear();
        keyByUnique.clear();
        files.clear();
        comments.clear();
        issueSeq = 0;
    }

    /** Everything the fake holds, kept by the dev run across restarts as its database is. */
    private record Saved(
            Map<String, Issue> issues,
            Map<String, String> keyById,
            Map<String, String> keyByUnique,
            Map<String, Attachment> files,
            int issueSeq,
            long fileSeq,
            Instant last,
            Comments.Saved comments)
            implements Serializable {}

    synchronized void save(Path file) throws IOException {
        Saved saved = new Saved(
                new LinkedHashMap<>(issues),
                new HashMap<>(keyById),
                new HashMap<>(keyByUnique),
                new HashMap<>(files),
                issueSeq,
                fileSeq,
                last,
                comments.save());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeObject(saved);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    synchronized void load(Path file) throws IOException, ClassNotFoundException {
        Saved saved;
        try (ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            saved = (Saved) in.readObject();
        }
        issues.clear();
        issues.putAll(saved.issues());
        keyById.clear();
        keyById.putAll(saved.keyById());
        keyByUnique.clear();
        keyByUnique.putAll(saved.keyByUnique());
        files.clear();
        files.putAll(saved.files());
        issueSeq = saved.issueSeq();
        fileSeq = saved.fileSeq();
        last = saved.last();
        comments.restore(saved.comments());
    }

    synchronized ObjectNode create(JsonNode body, Render r) {
        if (!body.isObject()) {
            throw TrackerException.badRequest("The request body must be a JSON object");
        }
        ObjectNode rest = ((ObjectNode) body).deepCopy();
        JsonNode queue = rest.remove("queue");
        if (queue == null) {
            throw new TrackerException(422, "queue", "Queue is required");
        }
        String q =
                queue.isObject() ? queue.path(queue.has("key") ? "key" : "id").asString() : queue.asString();
        if (!q.equals(settings.queue()) && !q.equals("1")) {
            throw TrackerException.notFound("queue " + q);
        }
        JsonNode unique = rest.remove("unique");
        JsonNode author = rest.has("author") ? rest.remove("author") : rest.remove("createdBy");
        long uid = author == null || author.isNull() ? catalog.apiUser().uid() : codec.uid(author);
        Issue issue = insert(rest, uid, unique == null || unique.isNull() ? null : unique.asString());
        return r.issue(issue, false, null);
    }

    synchronized String createManually(JsonNode body) {
        ObjectNode rest = ((ObjectNode) body).deepCopy();
        rest.remove("queue");
        if (!rest.has("summary")) {
            rest.put("summary", "Issue created in the UI");
        }
        return insert(rest, catalog.dispatcher().uid(), null).key;
    }

    private Issue insert(ObjectNode body, long author, String unique) {
        if (!body.has("summary")) {
            throw new TrackerException(422, "summary", "Summary is required");
        }
        if (unique != null && keyByUnique.containsKey(unique)) {
            throw new TrackerException(
                    409, "unique", "Issue with unique " + unique + " already exists: " + keyByUnique.get(unique));
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("summary", "");
        fields.put("status", settings.statuses().get(0).key());
        fields.put("type", "incident");
        fields.put("priority", "normal");
        List<String> attachments = new ArrayList<>();
        codec.apply(body, fields, attachments, files::containsKey);
        Issue issue = new Issue(hex(), settings.queue(), ++issueSeq, unique, tick(), author);
        fields.put("statusStartTime", issue.createdAt);
        issue.fields = fields;
        issue.attachmentIds = attachments;
        issues.put(issue.key, issue);
        keyById.put(issue.id, issue.key);
        if (unique != null) {
            keyByUnique.put(unique, issue.key);
        }
        return issue;
    }

    synchronized Issue find(String keyOrId) {
        Issue issue = issues.get(keyById.getOrDefault(keyOrId, keyOrId));
        if (issue == null) {
            throw TrackerException.notFound("issue " + keyOrId);
        }
        return issue;
    }

    synchronized ObjectNode get(String keyOrId, Render r, boolean transitions, boolean attachments) {
        return r.issue(find(keyOrId), transitions, attachments ? this::file : null);
    }

    synchronized ObjectNode findByUnique(String unique, Render r) {
        String key = keyByUnique.get(unique);
        if (key == null) {
            throw TrackerException.notFound("issue with unique " + unique);
        }
        return r.issue(issues.get(key), false, null);
    }

    /** PATCH: only the given fields change; no effective change keeps the version and {@code updatedAt}. */
    synchronized ObjectNode patch(String keyOrId, JsonNode body, Integer expectedVersion, long actor, Render r) {
        Issue issue = find(keyOrId);
        if (expectedVersion != null && expectedVersion != issue.version) {
            throw new TrackerException(
                    409, "version", "Version conflict: expected " + expectedVersion + ", current " + issue.version);
        }
        Map<String, Object> fields = new LinkedHashMap<>(issue.fields);
        List<String> attachments = new ArrayList<>(issue.attachmentIds);
        codec.apply(body, fields, attachments, files::containsKey);
        if (!fields.equals(issue.fields) || !attachments.equals(issue.attachmentIds)) {
            issue.fields = fields;
            issue.attachmentIds = attachments;
            issue.touch(tick(), actor);
        }
        return r.issue(issue, false, null);
    }

    /**
     * Executes the transition to status {@code transitionId}: other body fields are set as on a transition screen,
     * a done-type target sets {@code resolution} (default {@code fixed}) and {@code resolvedAt}, any other clears them.
     */
    synchronized Issue execute(String keyOrId, String transitionId, JsonNode body, long actor) {
        Issue issue = find(keyOrId);
        Status target = settings.statuses().stream()
                .filter(s -> s.key().equals(transitionId) && !s.key().equals(issue.status()))
                .filter(s -> actor == catalog.dispatcher().uid() || !catalog.unreachable.contains(s.key()))
                .findFirst()
                .orElseThrow(() -> TrackerException.notFound("transition " + transitionId + " for " + issue.key));
        ObjectNode rest = body.isObject() ? ((ObjectNode) body).deepCopy() : Json.object();
        JsonNode comment = rest.remove("comment");
        JsonNode resolution = rest.remove("resolution");
        Map<String, Object> fields = new LinkedHashMap<>(issue.fields);
        List<String> attachments = new ArrayList<>(issue.attachmentIds);
        codec.apply(rest, fields, attachments, files::containsKey);
        Instant at = tick();
        fields.put("previousStatus", issue.status());
        fields.put("status", target.key());
        fields.put("statusStartTime", at);
        if (target.type().equals("done")) {
            String res = resolution == null || resolution.isNull()
                    ? "fixed"
                    : FieldCodec.ref("resolution", resolution, Catalog.RESOLUTIONS);
            fields.put("resolution", res);
            fields.put("resolvedAt", at);
        } else {
            fields.remove("resolution");
            fields.remove("resolvedAt");
        }
        issue.fields = fields;
        issue.attachmentIds = attachments;
        issue.touch(at, actor);
        if (comment != null && !comment.isNull()) {
            String text = comment.isObject() ? comment.path("text").asString() : comment.asString();
            comments.addPlain(issue, text, actor, at);
        }
        return issue;
    }

    synchronized void transitionAsDispatcher(String key, String status) {
        execute(key, status, Json.object(), catalog.dispatcher().uid());
    }

    synchronized void editAsDispatcher(String key, JsonNode fields) {
        patch(key, fields, null, catalog.dispatcher().uid(), render("v2"));
    }

    synchronized long commentAsDispatcher(String key, String text) {
        Issue issue = find(key);
        Instant at = tick();
        issue.touch(at, catalog.dispatcher().uid());
        return comments.addPlain(issue, text, catalog.dispatcher().uid(), at).id;
    }

    /** The hits of a search or count body, in the requested order. */
    synchronized List<Issue> search(JsonNode body) {
        return search.run(search.plan(body), issues.values());
    }

    /** Renders under the lock, as issues are mutable. */
    synchronized <T> T read(Function<Store, T> reader) {
        return reader.apply(this);
    }

    synchronized Attachment addFile(String name, String mimetype, byte[] content) {
        Attachment f = new Attachment(
                String.valueOf(++fileSeq),
                name,
                mimetype,
                content,
                tick(),
                catalog.apiUser().uid());
        files.put(f.id(), f);
        return f;
    }

    synchronized Attachment file(String id) {
        return files.get(id);
    }

    synchronized boolean fileExists(String id) {
        return files.containsKey(id);
    }

    synchronized Map<String, Object> snapshot(String key) {
        return toMap(get(key, render("v2"), false, true));
    }

    synchronized List<Map<String, Object>> snapshots() {
        Render r = render("v2");
        return issues.values().stream()
                .map(i -> toMap(r.issue(i, false, this::file)))
                .toList();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> toMap(JsonNode node) {
        return Json.MAPPER.convertValue(node, Map.class);
    }
}
