package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

class ApiTokenFilterTest {

    @Test
    void eachTokenHasItsOwnRateLimitAnsweredWith429AndRetryAfter() throws Exception {
        ApiTokenFilter filter = filter(false, 2);

        assertThat(call(filter, "/api/v1/incidents", "secret-a").getStatus()).isEqualTo(200);
        assertThat(call(filter, "/api/v1/incidents", "secret-a").getStatus()).isEqualTo(200);
        MockHttpServletResponse limited = call(filter, "/api/v1/incidents", "secret-a");
        assertThat(call(filter, "/api/v1/incidents", "secret-b").getStatus()).isEqualTo(200);

        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeader("Retry-After")).isEqualTo("30");
        assertThat(limited.getContentType()).startsWith("application/problem+json");
        assertThat(limited.getContentAsString()).contains("\"status\":429", "2 requests per minute");
    }

    @Test
    void anonymousReadOnlyWhenEnabledAndNeverForAdminEndpoints() throws Exception {
        assertThat(call(filter(false, 60), "/api/v1/incidents", null).getStatus())
                .isEqualTo(401);
        assertThat(call(filter(true, 60), "/api/v1/incidents", null).getStatus())
                .isEqualTo(200);
        assertThat(call(filter(true, 60), "/api/v1/admin/towerstore/import", null)
                        .getStatus())
                .isEqualTo(401);
        assertThat(call(filter(true, 60), "/api/v1/admin/towerstore/import", "secret-a")
                        .getStatus())
                .isEqualTo(401);
        assertThat(call(filter(true, 60), "/api/v1/admin/towerstore/import", "admin-secret")
                        .getStatus())
                .isEqualTo(200);
    }

    @Test
    void documentationIsNotBehindTheTokenFilter() throws Exception {
        assertThat(call(filter(false, 60), "/v3/api-docs", null).getStatus()).isEqualTo(200);
        assertThat(call(filter(false, 60), "/swagger-ui/index.html", null).getStatus())
                .isEqualTo(200);
    }

    @Test
    void bucketRefillsOverTheMinute() {
        RateLimiter limiter = new RateLimiter(settings(false, 60));
        long t = 0;
        for (int i = 0; i < 60; i++) assertThat(limiter.acquire("a", t)).isZero();

        assertThat(limiter.acquire("a", t)).isEqualTo(1);
        assertThat(limiter.acquire("a", t + 1_000_000_000L)).isZero();
    }

    private static ApiTokenFilter filter(boolean anonymous, int perMinute) {
        ApiProperties settings = settings(anonymous, perMinute);
        return new ApiTokenFilter(settings, new RateLimiter(settings));
    }

    private static ApiProperties settings(boolean anonymous, int perMinute) {
        return new ApiProperties(
                Map.of("a", "secret-a", "b", "secret-b"), Map.of("oncall", "admin-secret"), anonymous, perMinute);
    }

    private static MockHttpServletResponse call(ApiTokenFilter filter, String path, String token) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
        if (token != null) request.addHeader("Authorization", "Bearer " + token);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }
}
