package dispatch.standin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StandInProcessTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void whatTheStandInsHoldIsReadableOverHttpAndTheIssuesOutliveARestart(@TempDir Path state) throws Exception {
        Map<String, String> settings = StandInProcess.defaults();
        settings.putAll(Map.of(
                "state", state.toString(),
                "tracker-port", "0",
                "towerstore-port", "0",
                "telegram-port", "0",
                "inspect-port", "0"));
        String key;
        try (StandInProcess.Running first = StandInProcess.start(settings)) {
            key = first.tracker().createIssueManually(Map.of("summary", "Нет питания"));
            first.tracker().commentAsDispatcher(key, "Принято");
            JsonNode issues = get(first, "/tracker/issues");
            assertThat(issues.get(0).get("key").asString()).isEqualTo(key);
            assertThat(get(first, "/tracker/issues/" + key + "/comments")
                            .get(0)
                            .get("text")
                            .asString())
                    .isEqualTo("Принято");
            assertThat(get(first, "/telegram/messages").isArray()).isTrue();
            assertThat(get(first, "/towerstore/requests").has("poles")).isTrue();
        }
        try (StandInProcess.Running second = StandInProcess.start(settings)) {
            assertThat(get(second, "/tracker/issues").get(0).get("summary").asString())
                    .isEqualTo("Нет питания");
            assertThat(second.tracker().comments(key)).hasSize(1);
            assertThat(get(second, "/tracker/calls").isObject()).isTrue();
        }
    }

    private JsonNode get(StandInProcess.Running running, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.inspectPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body());
    }
}
