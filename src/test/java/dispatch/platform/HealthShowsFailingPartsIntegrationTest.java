package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.RequestEntity;
import org.springframework.test.context.TestPropertySource;

/** Wrong credentials do not stop the service: it starts, and health names the failing part and why. */
@DispatchIntegrationTest
@AutoConfigureTestRestTemplate
@TestPropertySource(properties = "dispatch.mail.accounts[0].password=wrong-password")
@SuppressWarnings("unchecked")
class HealthShowsFailingPartsIntegrationTest {

    @Autowired
    TestRestTemplate http;

    @Autowired
    StandIns standIns;

    @Test
    void wrongImapPasswordAndRejectedTrackerTokenShowAsDownWithReasons() {
        standIns.tracker().expireAccessTokens();

        var response = http.exchange(
                RequestEntity.get("/actuator/health")
                        .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                        .build(),
                Map.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        Map<String, Object> components =
                (Map<String, Object>) response.getBody().get("components");
        Map<String, Object> imap = (Map<String, Object>) components.get("imap");
        Map<String, Object> tracker = (Map<String, Object>) components.get("tracker");
        assertThat(imap).containsEntry("status", "DOWN");
        assertThat(imap.get("details").toString()).contains("dispatch@example.test");
        assertThat(tracker).containsEntry("status", "DOWN");
        assertThat(tracker.get("details").toString()).contains("rejected the access token (401)");
        assertThat(((Map<String, Object>) components.get("db")).get("status")).isEqualTo("UP");
    }

    @Test
    void livenessStaysUpSoTheContainerIsNotRestartedForAnOutageElsewhere() {
        assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }
}
