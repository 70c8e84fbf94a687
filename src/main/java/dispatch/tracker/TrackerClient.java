package dispatch.tracker;

import dispatch.tracker.TrackerHttp.Answer;
import dispatch.tracker.TrackerHttp.Call;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import tools.jackson.databind.JsonNode;

/**
 * The Yandex Tracker REST API as Dispatch uses it (reference tracker-api.md). Every method retries transient
 * failures itself (429 honouring Retry-After, 5xx, I/O) with exponential backoff and jitter, refreshes the OAuth
 * token on 401, and goes through one circuit breaker; what still fails is a {@link TrackerException}.
 */
class TrackerClient {

    /** Tracker's page-based search is meant for up to 10,000 results; beyond that it wants a scroll. */
    static final int PAGE_LIMIT = 10_000;

    static final int PER_PAGE = 100;

    static final Duration CACHE_TTL = Duration.ofMinutes(5);

    private final TrackerHttp http;
    private final String queue;
    private final int perPage;
    private final int scrollAbove;
    private final Clock clock;
    private volatile @Nullable Cached<List<TrackerUser>> users;
    private volatile @Nullable Cached<List<String>> localFields;

    private record Cached<T>(T value, Instant until) {}

    /**
     * @param perPage page size of searches, comment and user lists (Tracker's default is 50; tests use small pages)
     * @param scrollAbove a search with more results than this scrolls instead of paging
     */
    TrackerClient(TrackerHttp http, String queue, int perPage, int scrollAbove, Clock clock) {
        this.http = http;
        this.queue = queue;
        this.perPage = perPage;
        this.scrollAbove = scrollAbove;
        this.clock = clock;
    }

    /**
     * {@code POST /v2/issues/} with {@code unique}; when Tracker answers 409 (the issue exists, e.g. our earlier
     * attempt's answer was lost) the existing issue is looked up with {@code _findByUnique} and returned.
     *
     * @param fields the issue body without {@code unique} (queue, summary, custom fields …)
     */
    TrackerIssue create(Map<String, ?> fields, String unique) {
        Map<String, @Nullable Object> body = new LinkedHashMap<>(fields);
        body.put("unique", unique);
        try {
            return issue(http.send(Call.of(HttpMethod.POST, "/v2/issues/").body(body)));
        } catch (TrackerException conflict) {
            if (conflict.status() != 409) {
                throw conflict;
            }
            try {
                return issue(http.send(Call.of(HttpMethod.POST, "/v2/issues/_findByUnique?unique={unique}", unique)));
            } catch (TrackerException lookup) {
                if (lookup.notFound()) {
                    throw conflict;
                }
                throw lookup;
            }
        }
    }

    /** {@code GET /v2/issues/{key}}; 404 is a {@link TrackerException} with {@code notFound()}. */
    TrackerIssue get(String key) {
        return issue(http.send(Call.of(HttpMethod.GET, "/v2/issues/{key}", key)));
    }

    /** {@code PATCH /v2/issues/{key}} with only the given fields (a null value clears a field). */
    TrackerIssue patch(String key, Map<String, ?> changes) {
        return issue(
                http.send(Call.of(HttpMethod.PATCH, "/v2/issues/{key}", key).body(changes)));
    }

    /** {@code POST /v2/issues/{key}/comments}; returns the comment id. Not retried after the request was sent. */
    long comment(String key, String text, List<String> attachmentIds) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", text);
        if (!attachmentIds.isEmpty()) {
            body.put("attachmentIds", attachmentIds);
        }
        return commentId(http.send(Call.of(HttpMethod.POST, "/v2/issues/{key}/comments", key)
                .body(body)
                .unsafe()));
    }

    /** Every comment of the issue, oldest first (all pages). */
    List<TrackerComment> comments(String key) {
        List<TrackerComment> comments = new ArrayList<>();
        Answer page = http.send(Call.of(HttpMethod.GET, "/v2/issues/{key}/comments?perPage={perPage}", key, perPage));
        while (true) {
            JsonNode items = http.json(page);
            items.forEach(c -> comments.add(new TrackerComment(
                    c.path("id").asLong(),
                    c.path("text").asString(""),
                    TrackerIssue.parse(c.path("createdAt").asString("")).orElse(Instant.EPOCH))));
            if (items.isEmpty() || !hasNext(page)) {
                return comments;
            }
            page = http.send(Call.of(
                    HttpMethod.GET,
                    "/v2/issues/{key}/comments?id={id}&perPage={perPage}",
                    key,
                    comments.get(comments.size() - 1).id(),
                    perPage));
        }
    }

    /** {@code POST /v2/attachments/} (multipart {@code file}); returns the temporary attachment id. */
    String upload(String fileName, Path file) {
        HttpHeaders part = new HttpHeaders();
        part.setContentType(MediaType.APPLICATION_OCTET_STREAM);
        part.setContentDispositionFormData("file", fileName);
        LinkedMultiValueMap<String, Object> parts = new LinkedMultiValueMap<>();
        parts.add("file", new HttpEntity<>(new FileSystemResource(file), part));
        // A temporary attachment nobody links is harmless, so an upload is retried like a read.
        return http.json(http.send(Call.of(HttpMethod.POST, "/v2/attachments/?filename={name}", fileName)
                        .body(parts)))
                .path("id")
                .asString();
    }

    /**
     * {@code POST /v2/issues/_search} with {@code {"filter": filter, "order": order}}, every page passed to
     * {@code each} in order. One call when everything fits one page (no trailing empty-page request).
     *
     * @param order e.g. {@code "+updatedAt"}, or null
     * @return the number of search requests made
     */
    int search(Map<String, ?> filter, @Nullable String order, Consumer<TrackerIssue> each) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("filter", filter);
        if (order != null) {
            body.put("order", order);
        }
        return new TrackerSearch(http, body, perPage, scrollAbove).run(each);
    }

    /**
     * Moves the issue to the status with key {@code statusKey} through the first transition leading there, with a
     * transition comment. Returns false when no transition from the current status leads there (nothing is sent).
     */
    boolean transition(String key, String statusKey, String comment) {
        JsonNode transitions = http.json(http.send(Call.of(HttpMethod.GET, "/v3/issues/{key}/transitions", key)));
        for (JsonNode transition : transitions) {
            if (statusKey.equals(transition.path("to").path("key").asString(""))) {
                http.send(Call.of(
                                HttpMethod.POST,
                                "/v3/issues/{key}/transitions/{id}/_execute",
                                key,
                                transition.path("id").asString())
                        .body(Map.of("comment", comment))
                        .unsafe());
                return true;
            }
        }
        return false;
    }

    /** Every user of the organisation (all pages); cached for a few minutes. */
    List<TrackerUser> users() {
        Cached<List<TrackerUser>> cached = users;
        if (cached != null && clock.instant().isBefore(cached.until())) {
            return cached.value();
        }
        List<TrackerUser> all = new ArrayList<>();
        for (int page = 1; ; page++) {
            Answer answer =
                    http.send(Call.of(HttpMethod.GET, "/v2/users?perPage={perPage}&page={page}", perPage, page));
            JsonNode items = http.json(answer);
            items.forEach(u -> all.add(new TrackerUser(
                    u.path("login").asString(""),
                    u.path("uid").asString(""),
                    u.path("display").asString(""),
                    u.path("dismissed").asBoolean(false))));
            if (items.size() < perPage || page >= TrackerSearch.header(answer, "X-Total-Pages", Integer.MAX_VALUE)) {
                break;
            }
        }
        users = new Cached<>(List.copyOf(all), clock.instant().plus(CACHE_TTL));
        return users.value();
    }

    /** The full API key ({@code <24hex>--key}) of the queue's local field {@code key}; cached. */
    String localFieldId(String key) {
        Cached<List<String>> cached = localFields;
        if (cached == null || !clock.instant().isBefore(cached.until()) || find(cached.value(), key) == null) {
            List<String> ids = new ArrayList<>();
            http.json(http.send(Call.of(HttpMethod.GET, "/v3/queues/{queue}/localFields", queue)))
                    .forEach(f -> ids.add(f.path("id").asString("")));
            cached = new Cached<>(List.copyOf(ids), clock.instant().plus(CACHE_TTL));
            localFields = cached;
        }
        String id = find(cached.value(), key);
        if (id == null) {
            throw new TrackerException(404, "Queue " + queue + " has no local field " + key, null);
        }
        return id;
    }

    /** {@code GET /v2/queues/{queue}}; 404 is a {@link TrackerException} with {@code notFound()}. */
    JsonNode queue() {
        return http.json(http.send(Call.of(HttpMethod.GET, "/v2/queues/{queue}", queue)));
    }

    /** {@code GET /v2/fields}: every global field of the organisation. */
    JsonNode globalFields() {
        return http.json(http.send(Call.of(HttpMethod.GET, "/v2/fields")));
    }

    /** {@code GET /v3/queues/{queue}/localFields}, not cached. */
    JsonNode localFields() {
        return http.json(http.send(Call.of(HttpMethod.GET, "/v3/queues/{queue}/localFields", queue)));
    }

    /** {@code GET /v2/statuses}: every status of the organisation. */
    JsonNode statuses() {
        return http.json(http.send(Call.of(HttpMethod.GET, "/v2/statuses")));
    }

    /** {@code POST /v2/fields}: creates a global field. */
    void createGlobalField(Map<String, ?> body) {
        http.send(Call.of(HttpMethod.POST, "/v2/fields").body(body).unsafe());
    }

    /** {@code POST /v3/queues/{queue}/localFields}: creates a local field of the queue. */
    void createLocalField(Map<String, ?> body) {
        http.send(Call.of(HttpMethod.POST, "/v3/queues/{queue}/localFields", queue)
                .body(body)
                .unsafe());
        localFields = null;
    }

    /** {@code PATCH /v3/queues/{queue}/localFields/{key}}. */
    void patchLocalField(String key, Map<String, ?> body) {
        http.send(Call.of(HttpMethod.PATCH, "/v3/queues/{queue}/localFields/{key}", queue, key)
                .body(body));
    }

    /** {@code GET /v2/myself} once, without retries or a token refresh: the health probe. */
    void myself() {
        http.send(Call.of(HttpMethod.GET, "/v2/myself").probe());
    }

    /** The circuit breaker's state and the latest failure, for health. */
    TrackerHttp http() {
        return http;
    }

    private TrackerIssue issue(Answer answer) {
        return TrackerIssue.of(http.json(answer));
    }

    private long commentId(Answer answer) {
        return http.json(answer).path("id").asLong();
    }

    private static @Nullable String find(List<String> ids, String key) {
        for (String id : ids) {
            if (id.equals(key) || id.endsWith("--" + key)) {
                return id;
            }
        }
        return null;
    }

    private static boolean hasNext(Answer answer) {
        String link = answer.headers().getFirst(HttpHeaders.LINK);
        return link != null && link.contains("rel=\"next\"");
    }
}
