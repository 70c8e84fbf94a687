package dispatch.standin.towerstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FakeTowerStoreTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @TempDir
    Path dir;

    private FakeTowerStore towerStore;

    @BeforeEach
    void start() throws IOException {
        Files.writeString(dir.resolve("poles.json"), "[{\"Шифр\":\"50123-01\"}]");
        Files.writeString(dir.resolve("contractors.json"), "[]");
        towerStore = FakeTowerStore.start(0, dir);
    }

    @AfterEach
    void stop() {
        towerStore.close();
    }

    @Test
    void servesReportFileAsUtf8Json() throws Exception {
        HttpResponse<String> response = get(towerStore.url("poles"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(response.body()).isEqualTo("[{\"Шифр\":\"50123-01\"}]");
    }

    @Test
    void urlsPointAtReportsUnderBaseUrl() {
        assertThat(towerStore.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(towerStore.url("base_stations.json"))
                .isEqualTo(towerStore.baseUrl() + "/reports/base_stations.json");
        assertThat(towerStore.url("poles")).isEqualTo(towerStore.baseUrl() + "/reports/poles.json");
        assertThatThrownBy(() -> towerStore.url("sites")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rereadsFileOnEveryRequest() throws Exception {
        Files.writeString(dir.resolve("contractors.json"), "[{\"Подрядчик\":\"ООО «Тест»\"}]");

        assertThat(get(towerStore.url("contractors")).body()).contains("ООО «Тест»");
    }

    @Test
    void answers404ForMissingFileAndUnknownReport() throws Exception {
        assertThat(get(towerStore.url("base_stations")).statusCode()).isEqualTo(404);
        assertThat(get(towerStore.baseUrl() + "/reports/sites.json").statusCode())
                .isEqualTo(404);
    }

    @Test
    void servesReplacementBodyFromMemory() throws Exception {
        towerStore.serve("base_stations", "[{\"Имя БС/Оборудование\":\"MO0123\"}]".getBytes(StandardCharsets.UTF_8));

        HttpResponse<String> response = get(towerStore.url("base_stations"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("MO0123");
    }

    @Test
    void failAnswersStatusUntilRecovered() throws Exception {
        towerStore.fail("poles", 503);

        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(503);
        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(503);
        assertThat(get(towerStore.url("contractors")).statusCode()).isEqualTo(200);

        towerStore.recover("poles");
        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(200);
    }

    @Test
    void failNextAnswersStatusOnceThenServesAgain() throws Exception {
        towerStore.failNext("poles.json", 500);
        towerStore.failNext("poles.json", 502);

        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(500);
        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(502);
        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(200);
    }

    @Test
    void requiredHeaderTurnsAwayRequestsWithoutIt() throws Exception {
        towerStore.requireHeader("Authorization", "Bearer ts-token");

        assertThat(get(towerStore.url("poles")).statusCode()).isEqualTo(401);
        assertThat(get(towerStore.url("poles"), "Authorization", "Bearer wrong").statusCode())
                .isEqualTo(401);
        assertThat(get(towerStore.url("poles"), "Authorization", "Bearer ts-token")
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void countsRequestsPerReport() throws Exception {
        towerStore.failNext("poles", 500);
        get(towerStore.url("poles"));
        get(towerStore.url("poles"));
        get(towerStore.url("contractors"));

        assertThat(towerStore.requests("poles")).isEqualTo(2);
        assertThat(towerStore.requests("contractors.json")).isEqualTo(1);
        assertThat(towerStore.requests("base_stations")).isZero();
    }

    @Test
    void rejectsOtherMethodsThanGet() throws Exception {
        HttpRequest post = HttpRequest.newBuilder(URI.create(towerStore.url("poles")))
                .POST(HttpRequest.BodyPublishers.ofString("[]"))
                .build();

        assertThat(HTTP.send(post, HttpResponse.BodyHandlers.discarding()).statusCode())
                .isEqualTo(405);
    }

    @Test
    void servesTheSampleReports() throws Exception {
        try (FakeTowerStore samples = FakeTowerStore.start(0, Path.of("data/samples/towerstore"))) {
            for (String report : FakeTowerStore.REPORTS) {
                HttpResponse<String> response = get(samples.url(report));
                assertThat(response.statusCode()).as(report).isEqualTo(200);
                assertThat(response.body()).as(report).startsWith("[");
            }
        }
    }

    private static HttpResponse<String> get(String url, String... header) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (header.length == 2) {
            request.header(header[0], header[1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
