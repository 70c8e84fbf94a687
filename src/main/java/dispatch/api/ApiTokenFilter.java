package dispatch.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Named bearer tokens for {@code /api/**}: read tokens for the reports, admin tokens for {@code /api/v1/admin/**}.
 * The token's name (never its value) is logged and put on the request for audit, and each name has its own rate
 * limit ({@link RateLimiter}).
 */
@Component
class ApiTokenFilter extends OncePerRequestFilter {

    static final String TOKEN_NAME_ATTRIBUTE = "dispatch.api.tokenName";
    private static final Logger log = LoggerFactory.getLogger(ApiTokenFilter.class);

    private final ApiProperties settings;
    private final RateLimiter limiter;

    ApiTokenFilter(ApiProperties settings, RateLimiter limiter) {
        this.settings = settings;
        this.limiter = limiter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        boolean admin = request.getRequestURI().startsWith(request.getContextPath() + "/api/v1/admin/");
        String presented = bearer(request.getHeader("Authorization"));
        String name = presented == null ? null : match(presented, admin ? settings.adminTokens() : settings.tokens());
        if (name == null && !admin && presented != null) {
            name = match(presented, settings.adminTokens());
        }
        if (name == null && presented == null && !admin && settings.anonymousRead()) {
            name = "anonymous";
        }
        if (name == null) {
            log.info(
                    "Rejected {} {}: {}",
                    request.getMethod(),
                    request.getRequestURI(),
                    presented == null ? "no token" : "unknown token");
            response.setHeader("WWW-Authenticate", "Bearer");
            problem(
                    response,
                    HttpServletResponse.SC_UNAUTHORIZED,
                    "Unauthorized",
                    request.getRequestURI(),
                    presented == null
                            ? "Send 'Authorization: Bearer <token>' with an API token" + (admin ? " (admin)" : "")
                            : "The token is not valid here" + (admin ? ": admin endpoints need an admin token" : ""));
            return;
        }
        long wait = limiter.acquire(name);
        if (wait > 0) {
            log.debug("Rate limited token {}: {} {}", name, request.getMethod(), request.getRequestURI());
            response.setHeader("Retry-After", Long.toString(wait));
            problem(
                    response,
                    429,
                    "Too Many Requests",
                    request.getRequestURI(),
                    "More than " + settings.requestsPerMinute() + " requests per minute with this token; retry in "
                            + wait + " s");
            return;
        }
        request.setAttribute(TOKEN_NAME_ATTRIBUTE, name);
        chain.doFilter(request, response);
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = header.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** Constant-time comparison against every configured token; returns the token's name. */
    private static String match(String presented, Map<String, String> tokens) {
        byte[] p = presented.getBytes(StandardCharsets.UTF_8);
        String found = null;
        for (Map.Entry<String, String> e : tokens.entrySet()) {
            if (e.getValue() != null
                    && !e.getValue().isBlank()
                    && MessageDigest.isEqual(p, e.getValue().getBytes(StandardCharsets.UTF_8))) {
                found = e.getKey();
            }
        }
        return found;
    }

    private static void problem(HttpServletResponse response, int status, String title, String path, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter()
                .write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                        + ",\"detail\":\"" + detail.replace("\"", "'") + "\",\"instance\":\""
                        + path.replace("\"", "").replace("\\", "") + "\"}");
    }
}
