package dispatch.tracker;

import dispatch.platform.SyncState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/** The Tracker client and its health, only when {@code dispatch.tracker.enabled}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class TrackerConfiguration {

    @Bean
    TrackerClient trackerClient(
            TrackerProperties settings,
            RestClient.Builder restClients,
            JsonMapper json,
            JdbcClient jdbc,
            SyncState state,
            PlatformTransactionManager transactions,
            ObjectProvider<MeterRegistry> meters,
            Clock clock) {
        RestClient rest = restClient(restClients, settings);
        TrackerTokens tokens = new TrackerTokens(settings, jdbc, state, transactions, rest, json);
        TrackerHttp http = new TrackerHttp(
                settings,
                rest,
                tokens,
                json,
                meters.getIfAvailable(SimpleMeterRegistry::new),
                clock,
                wait -> Thread.sleep(wait.toMillis()),
                () -> ThreadLocalRandom.current().nextDouble());
        return new TrackerClient(
                http, String.valueOf(settings.queue()), TrackerClient.PER_PAGE, TrackerClient.PAGE_LIMIT, clock);
    }

    @Bean
    HealthIndicator trackerHealthIndicator(TrackerClient client, TrackerProperties settings, Clock clock) {
        return new TrackerHealth(client, settings, Duration.ofSeconds(30), clock);
    }

    /** The base URL, timeouts and HTTP/1.1 pinned (the JDK client's h2c upgrade breaks against some servers). */
    static RestClient restClient(RestClient.Builder builder, TrackerProperties settings) {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(settings.readTimeout());
        return builder.baseUrl(settings.baseUrl().toString())
                .requestFactory(factory)
                .build();
    }
}
