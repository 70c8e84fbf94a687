package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.Fault;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.RequestEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/** The client as the application wires it: settings, database, metrics and health. */
@DispatchIntegrationTest
@AutoConfigureTestRestTemplate
@TestPropertySource(properties = {"dispatch.tracker.retry.initial-backoff=1ms", "dispatch.tracker.retry.jitter=0"})
class TrackerClientIntegrationTest {

    @Autowired
    TrackerClient client;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TestRestTemplate http;

    @Test
    void refreshesAnExpiredTokenKeepsThePairAndReportsRequestsAndHealth() {
        String key = client.create(Map.of("queue", "DISPATCH", "summary", "wired"), "wired-1")
                .key();
        standIns.tracker().expireAccessTokens();
        standIns.tracker().faults().next("GET /issues/*", Fault.respond5xx(503));

        assertThat(client.get(key).key()).isEqualTo(key);

        assertThat(jdbc.sql("select count(*) from sync_state where key = 'tracker.oauth'")
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        String metrics = http.getForObject("/actuator/prometheus", String.class);
        assertThat(metrics)
                .contains(
                        "dispatch_tracker_requests_total{method=\"GET\",outcome=\"success\",route=\"/v2/issues/{key}\"")
                .contains("dispatch_tracker_retries_total")
                .contains("dispatch_tracker_circuit_state")
                .doesNotContain(key);
        Map<?, ?> health = http.exchange(
                        RequestEntity.get("/actuator/health/tracker")
                                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                                .build(),
                        Map.class)
                .getBody();
        assertThat(health.get("status")).isEqualTo("UP");
        assertThat(health.get("details").toString()).contains("circuit=CLOSED");
    }

    @Test
    void noClientWhenTrackerIsDisabled() {
        new ApplicationContextRunner()
                .withUserConfiguration(TrackerConfiguration.class)
                .withPropertyValues("dispatch.tracker.enabled=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(TrackerClient.class)
                        .doesNotHaveBean("trackerHealthIndicator"));
    }
}
