package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.net.InetAddress;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/**
 * The rules around the routes: anonymous read when switched on (never for admin endpoints), the per-token rate limit,
 * who sees health details, and who may read the metrics. Requests come over raw sockets, some from 127.0.0.2 (another
 * loopback address, outside the metrics networks set here) to play a caller from elsewhere.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.api.anonymous-read=true",
            "dispatch.api.requests-per-minute=5",
            "dispatch.api.metrics-networks=127.0.0.1/32",
            "dispatch.api.metrics-token=" + AccessRulesIntegrationTest.METRICS_TOKEN
        })
class AccessRulesIntegrationTest {

    static final String METRICS_TOKEN = "metrics-token-for-this-test-only";

    @LocalServerPort
    int port;

    @Test
    void anonymousReadsTheReportsWhenAllowedButNeverAnAdminEndpoint() {
        RawHttp.Answer reports = get("/api/v1/incidents", Map.of());
        RawHttp.Answer admin = get("/api/v1/admin/outbox", Map.of());
        RawHttp.Answer adminWithReadToken = get("/api/v1/admin/outbox", bearer(StandIns.API_TOKEN));
        RawHttp.Answer wrongToken = get("/api/v1/incidents", bearer("not-one-of-our-tokens-at-all"));

        assertThat(reports.status()).isEqualTo(200);
        assertThat(admin.status()).isEqualTo(401);
        assertThat(admin.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(admin.header("Content-Type")).startsWith("application/problem+json");
        assertThat(admin.body()).contains("\"status\":401", "Authorization: Bearer");
        assertThat(adminWithReadToken.status()).isEqualTo(403);
        assertThat(adminWithReadToken.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"");
        assertThat(adminWithReadToken.body()).contains("\"status\":403", "admin token");
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.header("WWW-Authenticate")).startsWith("Bearer error=\"invalid_token\"");
        assertThat(wrongToken.body()).doesNotContain("not-one-of-our-tokens-at-all");
    }

    @Test
    void eachTokenHasItsOwnRateLimitAnsweredWith429AndRetryAfter() {
        RawHttp.Answer limited = null;
        for (int i = 0; i < 10 && limited == null; i++) {
            RawHttp.Answer answer = get("/api/v1/incidents", Map.of());
            if (answer.status() == 429) limited = answer;
        }
        RawHttp.Answer otherToken = get("/api/v1/incidents", bearer(StandIns.API_TOKEN));

        assertThat(limited).isNotNull();
        assertThat(Integer.parseInt(limited.header("Retry-After"))).isBetween(1, 12);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(limited.body()).contains("\"status\":429", "5 requests per minute");
        assertThat(otherToken.status()).isEqualTo(200);
    }

    @Test
    void anonymousCallersSeeTheHealthStatusOnlyAndAdminsSeeTheDetails() {
        RawHttp.Answer anonymous = get("/actuator/health", Map.of());
        RawHttp.Answer readToken = get("/actuator/health", bearer(StandIns.API_TOKEN));
        RawHttp.Answer admin = get("/actuator/health", bearer(StandIns.ADMIN_TOKEN));
        RawHttp.Answer info = get("/actuator/info", Map.of());

        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("components", "details", "@");
        assertThat(readToken.body()).doesNotContain("components", "details");
        assertThat(admin.body()).contains("\"components\"", "\"imap\"", "logged in as dispatch@example.test");
        assertThat(info.status()).isEqualTo(401);
    }

    @Test
    void metricsNeedTheTokenUnlessTheConnectionComesStraightFromAnAllowedNetwork() throws Exception {
        InetAddress elsewhere = InetAddress.getByName("127.0.0.2");

        assertThat(metrics(InetAddress.getByName("127.0.0.1"), Map.of()).status())
                .isEqualTo(200);
        assertThat(metrics(elsewhere, Map.of()).status()).isEqualTo(401);
        // Tomcat trusts X-Forwarded-For from 127.0.0.0/8 and would report 127.0.0.1 as the client's address
        assertThat(metrics(elsewhere, Map.of("X-Forwarded-For", "127.0.0.1")).status())
                .isEqualTo(401);
        assertThat(metrics(InetAddress.getByName("127.0.0.1"), Map.of("X-Forwarded-For", "127.0.0.1"))
                        .status())
                .as("any forwarded request counts as from outside")
                .isEqualTo(401);
        assertThat(metrics(InetAddress.getByName("127.0.0.1"), Map.of("X-Real-IP", "203.0.113.7"))
                        .status())
                .as("forwarded by the gateway")
                .isEqualTo(401);
        assertThat(metrics(elsewhere, bearer(StandIns.API_TOKEN)).status()).isEqualTo(403);
        RawHttp.Answer withToken = metrics(elsewhere, bearer(METRICS_TOKEN));
        assertThat(withToken.status()).isEqualTo(200);
        assertThat(withToken.body()).contains("jvm_memory_used_bytes");
    }

    private RawHttp.Answer get(String path, Map<String, String> headers) {
        return RawHttp.send(port, "GET", path, headers);
    }

    private RawHttp.Answer metrics(InetAddress from, Map<String, String> headers) {
        return RawHttp.send(from, port, "GET", "/actuator/prometheus", headers);
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }
}
