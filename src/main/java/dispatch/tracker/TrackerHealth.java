package dispatch.tracker;

import dispatch.platform.CachedHealth;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/** Health "tracker": does Tracker accept our token and organisation ({@code GET /v2/myself}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class TrackerHealth {

    @Bean
    HealthIndicator trackerHealthIndicator(TrackerProperties settings, Clock clock) {
        RestClient client = RestClient.builder()
                .baseUrl(settings.baseUrl().toString())
                .requestFactory(requestFactory(settings))
                .build();
        return new CachedHealth(() -> probe(client, settings), Duration.ofSeconds(30), clock);
    }

    private static JdkClientHttpRequestFactory requestFactory(TrackerProperties settings) {
        // HTTP/1.1 pinned: the JDK client's h2c upgrade attempt breaks against some servers.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(settings.readTimeout());
        return factory;
    }

    private static Health probe(RestClient client, TrackerProperties settings) {
        String authScheme = settings.authType() == TrackerProperties.AuthType.IAM ? "Bearer " : "OAuth ";
        String orgHeader = settings.orgType() == TrackerProperties.OrgType.CLOUD ? "X-Cloud-Org-ID" : "X-Org-ID";
        try {
            client.get()
                    .uri("/v2/myself")
                    .header("Authorization", authScheme + settings.accessToken())
                    .header(orgHeader, settings.orgId())
                    .retrieve()
                    .toBodilessEntity();
            return Health.up()
                    .withDetail("queue", settings.queue())
                    .withDetail("baseUrl", settings.baseUrl().toString())
                    .build();
        } catch (RestClientResponseException e) {
            String reason = e.getStatusCode().value() == 401
                    ? "Tracker rejected the access token (401): check DISPATCH_TRACKER_ACCESSTOKEN"
                    : e.getStatusCode().value() == 403
                            ? "Tracker denied access (403): check DISPATCH_TRACKER_ORGID and DISPATCH_TRACKER_ORGTYPE"
                            : "Tracker answered " + e.getStatusCode().value();
            return Health.down().withDetail("reason", reason).build();
        } catch (Exception e) {
            return Health.down()
                    .withDetail("reason", "Tracker unreachable at " + settings.baseUrl() + ": " + e.getMessage())
                    .build();
        }
    }
}
