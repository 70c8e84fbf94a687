package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class SafeUrlsTest {

    @Test
    void loginsAndQueriesNeverAppear() {
        assertThat(SafeUrls.of(URI.create("https://robot:s3cret@ts.example:8443/reports/poles.json?token=abc&x=1")))
                .isEqualTo("https://***@ts.example:8443/reports/poles.json?***");
        assertThat(SafeUrls.of(URI.create("https://api.tracker.yandex.net")))
                .isEqualTo("https://api.tracker.yandex.net");
        assertThat(SafeUrls.of(URI.create("mailto:someone@example.test"))).isEqualTo("mailto:***");
        assertThat(SafeUrls.of(null)).isEqualTo("(not set)");
    }
}
