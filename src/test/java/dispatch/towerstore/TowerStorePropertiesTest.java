package dispatch.towerstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The start-up report line of TowerStore names where the reports come from, never the credentials in the URL. */
class TowerStorePropertiesTest {

    @Test
    void summaryHidesLoginAndTokenOfTheReportUrl() {
        URI url = URI.create("https://robot:s3cret@ts.example/poles.json?token=t0ken");
        TowerStoreProperties settings = new TowerStoreProperties(
                true,
                url,
                url,
                url,
                null,
                null,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                1,
                Duration.ofSeconds(1),
                "0 0 20 * * *",
                "Europe/Moscow",
                List.of());

        assertThat(settings.summary()).contains("ts.example/poles.json").doesNotContain("s3cret", "t0ken", "robot");
        assertThat(settings.toString()).doesNotContain("s3cret", "t0ken");
    }
}
