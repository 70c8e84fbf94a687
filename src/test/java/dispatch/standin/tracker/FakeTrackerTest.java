package dispatch.standin.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class FakeTrackerTest {

    static FakeTracker tracker;
    static HttpClient http;

    @BeforeAll
    static void start() {
        tracker = FakeTracker.start(FakeTracker.Settings.defaults());
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    @AfterAll
    static void stop() {
        tracker.close();
    }

    @BeforeEach
    void clean() {
        tracker.reset();
    }

    @Test
    void createsWith201AndAnswers409OnRepeatedUniqueThenFindsByUnique() throws Exception {
        var created =
                send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"Pole down\",\"unique\":\"u-1\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode issue = json(created);
        assertThat(issue.get("key").asString()).isEqualTo("DISPATCH-1");
        assertThat(issue.get("id").asString()).matches("[0-9a-f]{24}");
        assertThat(issue.get("version").asInt()).isEqualTo(1);
        assertThat(issue.get("self").asString()).endsWith("/v2/issues/DISPATCH-1");
        assertThat(issue.get("status").get("key").asString()).isEqualTo("open");
        assertThat(issue.get("createdAt").asString())
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
        assertThat(issue.get("createdBy").has("key")).isFalse();

        var repeated = send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"again\",\"unique\":\"u-1\"}");
        assertThat(repeated.statusCode()).isEqualTo(409);
        assertThat(json(repeated).get("errorMessages").get(0).asString()).contains("u-1");
        assertThat(json(repeated).get("statusCode").asInt()).isEqualTo(409);

        var found = send("POST", "/v3/issues/_findByUnique?unique=u-1", "");
        assertThat(json(found).get("key").asString()).isEqualTo("DISPATCH-1");
        assertThat(json(found).get("self").asString()).contains("/v3/");
        assertThat(send("POST", "/v2/issues/_findByUnique?unique=nope", "").statusCode())
                .isEqualTo(404);
        assertThat(send("GET", "/v2/issues/DISPATCH-99", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/issues/" + issue.get("id").asString(), null).statusCode())
                .isEqualTo(200);
        assertThat(tracker.issues()).hasSize(1);
    }

    @Test
    void theDevRunsSavedStateComesBackWithKeysUniquesAndComments(@TempDir Path dir) throws Exception {
        send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"Pole down\",\"unique\":\"u-1\"}");
        long comment = tracker.commentAsDispatcher("DISPATCH-1", "On my way");
        Map<String, Object> before = tracker.issue("DISPATCH-1");
        tracker.save(dir.resolve("tracker.ser"));

        FakeTracker restarted = FakeTracker.start(FakeTracker.Settings.defaults());
        try {
            restarted.load(dir.resolve("tracker.ser"));
            // the same issue, only its links name the new server's port
            assertThat(restarted.issue("DISPATCH-1").toString().replaceAll("127\\.0\\.0\\.1:\\d+", "host"))
                    .isEqualTo(before.toString().replaceAll("127\\.0\\.0\\.1:\\d+", "host"));
            assertThat(restarted.comments("DISPATCH-1"))
                    .singleElement()
                    .satisfies(c -> assertThat(c).containsEntry("id", comment));
            assertThat(restarted.createIssueManually(Map.of("summary", "Next"))).isEqualTo("DISPATCH-2");
        } finally {
            restarted.close();
        }
    }

    @Test
    void patchChangesOnlyGivenFieldsAndRejectsStatusUnknownFieldsAndStaleVersions() throws Exception {
        String local = tracker.localFieldId("typeOfIncident");
        assertThat(local).matches("[0-9a-f]{24}--typeOfIncident");
        create(
                "{\"queue\":\"DISPATCH\",\"summary\":\"s\",\"description\":\"d\",\"localId\":7,"
                        + "\"emailDatetime\":\"2025-09-17T10:00:00.123456+03:00\",\"emailTo\":[\"a@x\"],\"assignee\":\"petrov\"}");

        var patched = send(
                "PATCH",
                "/v2/issues/DISPATCH-1",
                "{\"" + local + "\":\"Авария\",\"description\":null,"
                        + "\"emailTo\":{\"add\":[\"b@x\"]},\"slaStatus\":\"🟦 В работе\"}");
        assertThat(patched.statusCode()).isEqualTo(200);
        JsonNode issue = json(patched);
        assertThat(issue.get("version").asInt()).isEqualTo(2);
        assertThat(issue.get("summary").asString()).isEqualTo("s");
        assertThat(issue.has("description")).isFalse();
        assertThat(issue.get(local).asString()).isEqualTo("Авария");
        assertThat(issue.get("localId").asLong()).isEqualTo(7);
        assertThat(issue.get("emailDatetime").asString()).isEqualTo("2025-09-17T07:00:00.123+0000");
        assertThat(issue.get("emailTo").toString()).isEqualTo("[\"a@x\",\"b@x\"]");
        assertThat(issue.get("assignee").get("id").asString()).isEqualTo("1130000070000003");

        var status = send("PATCH", "/v2/issues/DISPATCH-1", "{\"status\":\"closed\"}");
        assertThat(status.statusCode()).isEqualTo(422);
        assertThat(json(status).get("errors").has("status")).isTrue();
        assertThat(send("PATCH", "/v2/issues/DISPATCH-1", "{\"noSuchField\":1}").statusCode())
                .isEqualTo(400);
        assertThat(send("PATCH", "/v2/issues/DISPATCH-1?version=1", "{\"summary\":\"x\"}")
                        .statusCode())
                .isEqualTo(409);
        assertThat(send("PATCH", "/v2/issues/DISPATCH-1?version=2", "{\"summary\":\"x\"}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(tracker.issue("DISPATCH-1")).containsEntry("version", 3).containsEntry("summary", "x");
        // writing the same value again is no change
        assertThat(json(send("PATCH", "/v2/issues/DISPATCH-1", "{\"summary\":\"x\"}"))
                        .get("version")
                        .asInt())
                .isEqualTo(3);
    }

    @Test
    void transitionsLeadToEveryOtherStatusAndExecuteResolvesAndReopens() throws Exception {
        create("{\"queue\":\"DISPATCH\",\"summary\":\"s\"}");
        JsonNode transitions = json(send("GET", "/v3/issues/DISPATCH-1/transitions", null));
        assertThat(transitions.size()).isEqualTo(tracker.settings().statuses().size() - 1);
        assertThat(transitions.get(0).get("id").asString())
                .isEqualTo(transitions.get(0).get("to").get("key").asString());

        var closed = send("POST", "/v3/issues/DISPATCH-1/transitions/closed/_execute", "{\"comment\":\"Done\"}");
        assertThat(closed.statusCode()).isEqualTo(200);
        assertThat(json(closed).size()).isPositive();
        Map<String, Object> issue = tracker.issue("DISPATCH-1");
        assertThat(issue).containsKey("resolvedAt").containsEntry("version", 2);
        assertThat(((Map<?, ?>) issue.get("resolution")).get("key")).isEqualTo("fixed");
        assertThat(((Map<?, ?>) issue.get("previousStatus")).get("key")).isEqualTo("open");
        assertThat(tracker.comments("DISPATCH-1"))
                .singleElement()
                .satisfies(c -> assertThat(c).containsEntry("text", "Done"));
        assertThat(send("POST", "/v3/issues/DISPATCH-1/transitions/closed/_execute", "{}")
                        .statusCode())
                .isEqualTo(404);

        tracker.transition("DISPATCH-1", "inProgress");
        assertThat(tracker.issue("DISPATCH-1")).doesNotContainKeys("resolvedAt", "resolution");
        assertThat(((Map<?, ?>) tracker.issue("DISPATCH-1").get("updatedBy")).get("id"))
                .isEqualTo("1130000070000002");
    }

    @Test
    void commentsArePagedByCursorAndEmailCommentsAreSent() throws Exception {
        create("{\"queue\":\"DISPATCH\",\"summary\":\"s\"}");
        for (int i = 0; i < 3; i++) {
            var added = send("POST", "/v2/issues/DISPATCH-1/comments", "{\"text\":\"c" + i + "\"}");
            assertThat(added.statusCode()).isEqualTo(201);
            assertThat(json(added).get("id").isNumber()).isTrue();
            assertThat(json(added).get("longId").asString()).matches("[0-9a-f]{24}");
            assertThat(json(added).get("type").asString()).isEqualTo("standard");
        }
        var first = send("GET", "/v2/issues/DISPATCH-1/comments?perPage=2", null);
        assertThat(json(first).size()).isEqualTo(2);
        String next = link(first, "next");
        var second = http.send(request("GET", next, null), HttpResponse.BodyHandlers.ofString());
        assertThat(json(second).size()).isEqualTo(1);
        assertThat(json(second).get(0).get("text").asString()).isEqualTo("c2");
        assertThat(second.headers().firstValue("Link")).isEmpty();

        var email = send(
                "POST",
                "/v2/issues/DISPATCH-1/comments",
                "{\"email\":{\"subject\":\"Re: DISPATCH-1: s\","
                        + "\"text\":\"Hello\",\"info\":{\"from\":\"q@x\",\"to\":[\"op@y\"],\"cc\":[\"q@x\"]}}}");
        assertThat(json(email).get("type").asString()).isEqualTo("outcoming");
        assertThat(json(email).get("transport").asString()).isEqualTo("email");
        assertThat(tracker.sentEmails()).singleElement().satisfies(m -> {
            assertThat(m.to()).containsExactly("op@y");
            assertThat(m.subject()).isEqualTo("Re: DISPATCH-1: s");
            assertThat(m.headers()).containsEntry("X-Tracker-Issue-Key", "DISPATCH-1");
        });

        long id = json(first).get(0).get("id").asLong();
        assertThat(json(send("PATCH", "/v2/issues/DISPATCH-1/comments/" + id, "{\"text\":\"edited\"}"))
                        .get("version")
                        .asInt())
                .isEqualTo(2);
        assertThat(send("DELETE", "/v2/issues/DISPATCH-1/comments/" + id, null).statusCode())
                .isEqualTo(204);
        assertThat(tracker.comments("DISPATCH-1")).hasSize(3);
    }

    @Test
    void uploadsAttachmentsAndAttachesThemById() throws Exception {
        String boundary = "b0undary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--" + boundary + "--\r\n";
        var upload = http.send(
                authorized(HttpRequest.newBuilder(URI.create(tracker.baseUrl() + "/v2/attachments/")))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofString(multipart))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).isEqualTo(201);
        JsonNode file = json(upload);
        assertThat(file.get("id").isString()).isTrue();
        assertThat(file.get("name").asString()).isEqualTo("a.txt");
        assertThat(file.get("size").asInt()).isEqualTo(5);

        create("{\"queue\":\"DISPATCH\",\"summary\":\"s\",\"attachmentIds\":[\""
                + file.get("id").asString() + "\"]}");
        assertThat((List<?>) tracker.issue("DISPATCH-1").get("attachments")).hasSize(1);
        assertThat(send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"s\",\"attachmentIds\":[\"9\"]}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/v2/issues/DISPATCH-1/comments", "{\"text\":\"t\",\"attachmentIds\":[\"9\"]}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void searchesByFilterRangeQueryAndOrderWithPageHeaders() throws Exception {
        for (int i = 1; i <= 5; i++) {
            create("{\"queue\":\"DISPATCH\",\"summary\":\"s" + i + "\",\"localId\":" + i + "}");
        }
        tracker.advanceClock(Duration.ofSeconds(2));
        tracker.transition("DISPATCH-2", "inProgress");
        tracker.transition("DISPATCH-4", "inProgress");
        String from = (String) tracker.issue("DISPATCH-2").get("updatedAt");
        String to = (String) tracker.issue("DISPATCH-4").get("updatedAt");

        assertThat(keys(search("", "{\"filter\":{\"queue\":\"DISPATCH\",\"localId\":3}}")))
                .containsExactly("DISPATCH-3");
        assertThat(keys(search(
                        "",
                        "{\"filter\":{\"status\":[{\"id\":\"2\"}],\"updatedAt\":{\"from\":\"" + from + "\",\"to\":\""
                                + to + "\"}},\"order\":\"-updatedAt\"}")))
                .containsExactly("DISPATCH-4", "DISPATCH-2");
        assertThat(keys(search("", "{\"filter\":{\"assignee\":\"empty()\",\"localId\":[1,5]}}")))
                .containsExactly("DISPATCH-1", "DISPATCH-5");
        String since = Instant.parse(
                        tracker.issue("DISPATCH-2").get("updatedAt").toString().replace("+0000", "Z"))
                .toString()
                .substring(0, 19)
                .replace('T', ' ');
        assertThat(keys(search(
                        "",
                        "{\"query\":\"Queue: DISPATCH Status: inProgress, open Updated: >= \\\"" + since
                                + "\\\" \\\"Sort By\\\": Updated DESC\"}")))
                .containsExactly("DISPATCH-4", "DISPATCH-2");
        assertThat(keys(search("?expand=transitions", "{\"keys\":[\"DISPATCH-5\",\"DISPATCH-1\"]}")))
                .containsExactly("DISPATCH-1", "DISPATCH-5");
        assertThat(search("?expand=transitions", "{\"queue\":\"DISPATCH\"}").body())
                .contains("\"transitions\"");

        var page = search("?perPage=2&page=2", "{\"filter\":{\"queue\":\"DISPATCH\"}}");
        assertThat(keys(page)).containsExactly("DISPATCH-3", "DISPATCH-4");
        assertThat(page.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(page.headers().firstValue("X-Total-Pages")).hasValue("3");
        assertThat(link(page, "next")).contains("page=3");
        assertThat(search("?perPage=2&page=4", "{\"filter\":{\"queue\":\"DISPATCH\"}}")
                        .body())
                .isEqualTo("[]");
        assertThat(search("", "{\"filter\":{\"noSuchField\":1}}").statusCode()).isEqualTo(400);
        assertThat(search("", "{\"queue\":\"DISPATCH\",\"keys\":[\"DISPATCH-1\"]}")
                        .statusCode())
                .isEqualTo(400);

        var count = send("POST", "/v2/issues/_count", "{\"filter\":{\"status\":\"inProgress\"}}");
        assertThat(count.body()).isEqualTo("2");
    }

    @Test
    void scrollsToExhaustionOverASnapshot() throws Exception {
        for (int i = 1; i <= 5; i++) {
            create("{\"queue\":\"DISPATCH\",\"summary\":\"s" + i + "\"}");
        }
        var first = search("?scrollType=sorted&perScroll=2", "{\"filter\":{\"queue\":\"DISPATCH\"}}");
        assertThat(first.headers().firstValue("X-Total-Count")).hasValue("5");
        tracker.editAsDispatcher("DISPATCH-5", Map.of("summary", "changed later"));
        List<String> seen = new ArrayList<>(keys(first));
        var page = first;
        while (page.headers().firstValue("X-Scroll-Id").isPresent()) {
            page = search(
                    "?scrollId=" + page.headers().firstValue("X-Scroll-Id").get() + "&scrollToken="
                            + page.headers().firstValue("X-Scroll-Token").get(),
                    "{\"filter\":{\"queue\":\"DISPATCH\"}}");
            seen.addAll(keys(page));
            assertThat(page.body()).doesNotContain("changed later");
        }
        assertThat(seen).containsExactly("DISPATCH-1", "DISPATCH-2", "DISPATCH-3", "DISPATCH-4", "DISPATCH-5");
        assertThat(search("?scrollType=sorted", "{\"queue\":\"DISPATCH\"}").body())
                .contains("Scroll is not supported");
        assertThat(search("?scrollType=sorted&perScroll=1001", "{\"filter\":{}}")
                        .statusCode())
                .isEqualTo(400);
        assertThat(send("POST", "/v2/system/search/scroll/_clear", "{\"x\":\"y\"}")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void rejectsBadTokensAndOrgsAndRefreshesExpiredTokens() throws Exception {
        var strict = FakeTracker.Settings.builder()
                .acceptAnyToken(false)
                .tokens("a1", "r1")
                .build();
        try (FakeTracker t = FakeTracker.start(strict)) {
            assertThat(call(t, "a1", "X-Org-ID", "dev-org").statusCode()).isEqualTo(200);
            assertThat(call(t, "a1", "x-cloud-org-id", "dev-org").statusCode()).isEqualTo(200);
            assertThat(call(t, "nope", "X-Org-Id", "dev-org").statusCode()).isEqualTo(401);
            assertThat(call(t, "a1", "X-Org-Id", "other").statusCode()).isEqualTo(403);

            t.expireAccessTokens();
            var expired = call(t, "a1", "X-Org-Id", "dev-org");
            assertThat(expired.statusCode()).isEqualTo(401);
            assertThat(json(expired).has("errorMessages")).isTrue();

            var refreshed = http.send(
                    HttpRequest.newBuilder(URI.create(t.oauthTokenUrl()))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "grant_type=refresh_token&refresh_token=r1&client_id=c&client_secret=s"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode pair = json(refreshed);
            assertThat(pair.get("token_type").asString()).isEqualTo("bearer");
            assertThat(pair.get("expires_in").asLong()).isPositive();
            assertThat(call(t, pair.get("access_token").asString(), "X-Org-Id", "dev-org")
                            .statusCode())
                    .isEqualTo(200);
            var reused = http.send(
                    HttpRequest.newBuilder(URI.create(t.oauthTokenUrl()))
                            .POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=r1"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reused.statusCode()).isEqualTo(400);
            assertThat(json(reused).get("error").asString()).isEqualTo("invalid_grant");
        }
    }

    @Test
    void injectsEachFaultKind() throws Exception {
        tracker.faults().next("GET /myself", Fault.respond429(7));
        var limited = send("GET", "/v2/myself", null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("7");

        tracker.faults().next("GET /myself", Fault.respond5xx(503));
        assertThat(send("GET", "/v2/myself", null).statusCode()).isEqualTo(503);

        tracker.faults().next("POST /issues/_search", Fault.dropConnection());
        assertThatThrownBy(() -> search("", "{}")).isInstanceOf(IOException.class);

        tracker.faults().next("POST /issues/", Fault.applyThenDrop());
        assertThatThrownBy(() ->
                        send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"s\",\"unique\":\"k\"}"))
                .isInstanceOf(IOException.class);
        assertThat(tracker.issues()).hasSize(1);
        assertThat(send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"s\",\"unique\":\"k\"}")
                        .statusCode())
                .isEqualTo(409);

        tracker.faults().next(Fault.delay(Duration.ofMillis(200)));
        long started = System.nanoTime();
        assertThat(send("GET", "/v2/myself", null).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(tracker.faults().fired()).hasSize(5);

        tracker.faults().failRandomly(0.5, 42, Fault.respond5xx(500));
        int failures = 0;
        for (int i = 0; i < 20; i++) {
            failures += send("GET", "/v2/statuses", null).statusCode() == 500 ? 1 : 0;
        }
        tracker.faults().stopFailingRandomly();
        assertThat(failures).isBetween(3, 17);
    }

    @Test
    void countsCallsPerRouteAcrossApiVersions() throws Exception {
        search("", "{\"filter\":{}}");
        send("POST", "/v3/issues/_search", "{\"filter\":{}}");
        send("GET", "/v2/users", null);
        assertThat(tracker.callCount("POST /issues/_search")).isEqualTo(2);
        assertThat(tracker.calls()).containsEntry("GET /users", 1);
        tracker.resetCalls();
        assertThat(tracker.calls()).isEmpty();
    }

    @Test
    void servesDirectoriesAndVersionedFieldEdits() throws Exception {
        JsonNode myself = json(send("GET", "/v2/myself", null));
        assertThat(myself.get("uid").asLong()).isEqualTo(1130000070000001L);
        assertThat(json(send("GET", "/v3/statuses", null)).get(0).get("id").isNumber())
                .isTrue();
        assertThat(json(send("GET", "/v3/queues/DISPATCH/localFields", null))
                        .get(0)
                        .get("id")
                        .asString())
                .isEqualTo(tracker.localFieldId("typeOfIncident"));
        assertThat(send("GET", "/v2/queues/dispatch", null).statusCode()).isEqualTo(404);
        assertThat(json(send("GET", "/v2/fields/localId", null)).get("version").asInt())
                .isEqualTo(1);
        assertThat(send("PATCH", "/v2/fields/localId", "{\"readonly\":true}").statusCode())
                .isEqualTo(428);
        assertThat(send("PATCH", "/v2/fields/localId?version=1", "{\"readonly\":true}")
                        .statusCode())
                .isEqualTo(200);
        assertThat(send("PATCH", "/v2/fields/localId?version=1", "{\"readonly\":false}")
                        .statusCode())
                .isEqualTo(412);
        assertThat(json(send("GET", "/v3/fields/categories", null)).size()).isEqualTo(5);
    }

    @Test
    void updatedAtStrictlyIncreasesAcrossChanges() {
        String key = tracker.createIssueManually(Map.of("summary", "from the UI", "assignee", "dispatcher"));
        String before = (String) tracker.issue(key).get("updatedAt");
        tracker.editAsDispatcher(key, Map.of("poleNumber", "P-1"));
        String after = (String) tracker.issue(key).get("updatedAt");
        assertThat(after).isGreaterThan(before);
        tracker.commentAsDispatcher(key, "note");
        assertThat((String) tracker.issue(key).get("updatedAt")).isGreaterThan(after);
        assertThat(tracker.issue(key)).doesNotContainKey("unique").containsEntry("version", 3);
    }

    // --- what the fake accepts and refuses is what the real API does (docs/tracker-api.md): not stricter, so that
    // Yandex's own client works against it, and not more lenient, so that our client cannot come to rely on it ---

    @Test
    void aSearchAsYandexsPythonClientSendsItWithEveryUnusedKeyNullIsAnswered() throws Exception {
        create("{\"queue\":\"DISPATCH\",\"summary\":\"Первая\"}");
        create("{\"queue\":\"DISPATCH\",\"summary\":\"Вторая\"}");
        String body = """
                {"filter": {"queue": "DISPATCH"}, "filterId": null, "query": null, "keys": null, "queue": null,
                 "order": []}""";

        var found = send("POST", "/v2/issues/_search", body);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(keys(found)).containsExactly("DISPATCH-1", "DISPATCH-2");
        assertThat(send("POST", "/v2/issues/_count", body).body()).isEqualTo("2");
        var byQueue = send(
                "POST",
                "/v3/issues/_search",
                "{\"queue\": \"DISPATCH\", \"filter\": null, \"query\": null, \"keys\": null, \"order\": null}");
        assertThat(keys(byQueue)).containsExactly("DISPATCH-1", "DISPATCH-2");
        var scroll = send(
                "POST",
                "/v2/issues/_search?scrollType=unsorted&perScroll=1",
                body.replace("\"order\": []", "\"x\": 1"));
        assertThat(scroll.statusCode()).as(scroll.body()).isEqualTo(200);
        assertThat(keys(scroll)).hasSize(1);
    }

    @Test
    void searchKindsGivenTogetherOrASavedFilterTheFakeCannotHaveAreRefused() throws Exception {
        var both = send("POST", "/v2/issues/_search", "{\"queue\": \"DISPATCH\", \"query\": \"Queue: DISPATCH\"}");
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).contains("You can only use keys, a queue, or a search query");
        assertThat(send("POST", "/v2/issues/_search", "{\"filterId\": 12}").statusCode())
                .isEqualTo(404);
    }

    @Test
    void aRequestWithoutAnAuthorizationHeaderIsUnauthorizedWhateverItAsksFor() throws Exception {
        for (String path : List.of("/v2/myself", "/v3/issues/DISPATCH-1", "/v2/no-such-resource")) {
            var response = http.send(
                    HttpRequest.newBuilder(URI.create(tracker.baseUrl() + path))
                            .header("X-Org-ID", "dev-org")
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(json(response).get("statusCode").asInt()).isEqualTo(401);
        }
        var unknownScheme = http.send(
                HttpRequest.newBuilder(URI.create(tracker.baseUrl() + "/v2/myself"))
                        .header("Authorization", "Basic ZGV2OmRldg==")
                        .header("X-Org-ID", "dev-org")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknownScheme.statusCode()).isEqualTo(401);
    }

    @Test
    void aRequestWithoutAnOrganisationHeaderOrWithBothIsRefused() throws Exception {
        var none = http.send(
                HttpRequest.newBuilder(URI.create(tracker.baseUrl() + "/v2/myself"))
                        .header("Authorization", "OAuth dev-access")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(403);
        var both = http.send(
                HttpRequest.newBuilder(URI.create(tracker.baseUrl() + "/v2/myself"))
                        .header("Authorization", "OAuth dev-access")
                        .header("X-Org-ID", "dev-org")
                        .header("X-Cloud-Org-ID", "dev-org")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(both.statusCode()).isEqualTo(403);
    }

    @Test
    void aBodyThatIsNotDeclaredJsonIsRefusedAndNothingIsCreated() throws Exception {
        String issue = "{\"queue\":\"DISPATCH\",\"summary\":\"Третья\"}";
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded")) {
            var response = http.send(
                    HttpRequest.newBuilder(URI.create(tracker.baseUrl() + "/v2/issues/"))
                            .header("Authorization", "OAuth dev-access")
                            .header("X-Org-ID", "dev-org")
                            .header("Content-Type", type)
                            .POST(HttpRequest.BodyPublishers.ofString(issue))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(type).isEqualTo(415);
        }
        assertThat(tracker.issues()).isEmpty();
        assertThat(send("POST", "/v2/issues/", issue).statusCode()).isEqualTo(201);
    }

    @Test
    void aFaultPlannedForAVersionedPathIsRefusedBecauseItCouldNeverFire() {
        assertThatThrownBy(() -> tracker.faults().next("POST /v2/issues/", Fault.applyThenDrop()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("without /v2");
        assertThat(tracker.faults().pending()).isZero();
    }

    // --- helpers ---

    private static void create(String body) throws Exception {
        assertThat(send("POST", "/v2/issues/", body).statusCode()).isEqualTo(201);
    }

    private static HttpResponse<String> search(String query, String body) throws Exception {
        return send("POST", "/v2/issues/_search" + query, body);
    }

    private static List<String> keys(HttpResponse<String> response) {
        List<String> keys = new ArrayList<>();
        json(response).values().forEach(i -> keys.add(i.get("key").asString()));
        return keys;
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(request(method, tracker.baseUrl() + path, body), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(String method, String url, String body) {
        return authorized(HttpRequest.newBuilder(URI.create(url)))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder builder) {
        return builder.timeout(Duration.ofSeconds(5))
                .header("Authorization", "OAuth test-token")
                .header("X-Org-Id", "dev-org");
    }

    private static HttpResponse<String> call(FakeTracker t, String token, String orgHeader, String org)
            throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(t.baseUrl() + "/v2/myself"))
                        .header("Authorization", "OAuth " + token)
                        .header(orgHeader, org)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String link(HttpResponse<String> response, String rel) {
        String header = response.headers().firstValue("Link").orElseThrow();
        for (String part : header.split(",\\s*<")) {
            if (part.contains("rel=\"" + rel + "\"")) {
                return part.substring(part.indexOf('<') + 1, part.indexOf('>'));
            }
        }
        throw new AssertionError("no rel=" + rel + " in " + header);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }
}
