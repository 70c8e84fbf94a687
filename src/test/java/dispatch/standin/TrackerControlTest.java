package dispatch.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TrackerControlTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void faultsSetOverHttpHitTheTrackerApiUntilStopped(@TempDir Path state) throws Exception {
        try (StandInProcess.Running running = StandInProcess.start(settings(state))) {
            String key = running.tracker().createIssueManually(Map.of("summary", "Нет питания"));
            assertThat(post(running, "/control/faults?p=1&seed=5").statusCode()).isEqualTo(200);

            trackerGet(running, key);
            trackerGet(running, key);

            // Every call failed; the JDK client may send a GET again after a dropped connection, so at least two.
            JsonNode fired =
                    JsonMapper.shared().readTree(get(running, "/control/faults").body());
            assertThat(fired.size()).isGreaterThanOrEqualTo(2);
            fired.forEach(f -> assertThat(f.asString()).startsWith("GET /issues/" + key + " -> "));

            post(running, "/control/faults?p=0");
            assertThat(trackerGet(running, key)).isEqualTo(200);
            assertThat(JsonMapper.shared()
                            .readTree(get(running, "/control/faults").body()))
                    .hasSize(fired.size());
        }
    }

    @Test
    void aFaultQueuedOverHttpHitsTheNextMatchingCallOnly(@TempDir Path state) throws Exception {
        try (StandInProcess.Running running = StandInProcess.start(settings(state))) {
            String key = running.tracker().createIssueManually(Map.of("summary", "Нет питания"));
            assertThat(post(running, "/control/next?pattern=GET%20/issues/*&fault=500")
                            .statusCode())
                    .isEqualTo(200);

            assertThat(trackerGet(running, key)).isEqualTo(500);
            assertThat(trackerGet(running, key)).isEqualTo(200);
            assertThat(JsonMapper.shared()
                            .readTree(get(running, "/control/faults").body()))
                    .hasSize(1);
            assertThat(post(running, "/control/next?pattern=GET%20/issues/*&fault=explode")
                            .statusCode())
                    .isEqualTo(400);
        }
    }

    @Test
    void aTransitionOverHttpMovesTheIssueAsADispatcherAndAnUnknownIssueIsRefused(@TempDir Path state) throws Exception {
        try (StandInProcess.Running running = StandInProcess.start(settings(state))) {
            String key = running.tracker().createIssueManually(Map.of("summary", "Нет питания"));

            HttpResponse<String> moved =
                    post(running, "/control/transition?key=" + key + "&status=notifyOperatorInWork");

            assertThat(moved.statusCode()).isEqualTo(200);
            assertThat(running.tracker().statusKey(key)).isEqualTo("notifyOperatorInWork");
            assertThat(post(running, "/control/transition?key=DISPATCH-999&status=closed")
                            .statusCode())
                    .isEqualTo(400);
        }
    }

    private static Map<String, String> settings(Path state) {
        Map<String, String> settings = StandInProcess.defaults();
        settings.putAll(Map.of(
                "state", state.toString(),
                "tracker-port", "0",
                "towerstore-port", "0",
                "telegram-port", "0",
                "inspect-port", "0"));
        return settings;
    }

    /** A GET of the issue as the service would send it; the status, or -1 when the fake dropped the connection. */
    private int trackerGet(StandInProcess.Running running, String key) throws InterruptedException {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create(running.tracker().baseUrl() + "/v2/issues/" + key))
                                    .header("Authorization", "OAuth dev-access")
                                    .header(
                                            "X-Org-ID",
                                            running.tracker().settings().orgId())
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private HttpResponse<String> post(StandInProcess.Running running, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.inspectPort() + path))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(StandInProcess.Running running, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.inspectPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
