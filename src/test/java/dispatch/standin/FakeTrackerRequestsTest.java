package dispatch.standin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the fake Tracker accepts and refuses is what the real one does: not stricter (a request Yandex's own client
 * sends works), not more lenient (a request the real API refuses is refused, so our client cannot come to rely on
 * it). {@code docs/tracker-api.md} has the facts.
 */
class FakeTrackerRequestsTest {

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
    void clean() throws Exception {
        tracker.reset();
        for (String summary : List.of("Первая", "Вторая")) {
            assertThat(send("POST", "/v2/issues/", "{\"queue\":\"DISPATCH\",\"summary\":\"" + summary + "\"}")
                            .statusCode())
                    .isEqualTo(201);
        }
    }

    @Test
    void aSearchAsYandexsPythonClientSendsItWithEveryUnusedKeyNullIsAnswered() throws Exception {
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
        assertThat(tracker.issues()).hasSize(2);
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

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(tracker.baseUrl() + path))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "OAuth test-token")
                        .header("X-Org-Id", "dev-org")
                        .header("Content-Type", "application/json; charset=utf-8")
                        .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> keys(HttpResponse<String> response) {
        List<String> keys = new ArrayList<>();
        json(response).values().forEach(i -> keys.add(i.get("key").asString()));
        return keys;
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.MAPPER.readTree(response.body());
    }
}
