package dispatch.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After authorization: each token name has its own {@link RateLimiter} bucket, and anonymous readers of the API (when
 * allowed) share one named {@code anonymous}.
 */
final class TokenRateLimit extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(TokenRateLimit.class);

    private final RateLimiter limiter;
    private final int perMinute;
    private final RequestMatcher api;
    private final SecurityProblems problems;

    TokenRateLimit(RateLimiter limiter, int perMinute, RequestMatcher api, SecurityProblems problems) {
        this.limiter = limiter;
        this.perMinute = perMinute;
        this.api = api;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String bucket = who instanceof BearerToken
                ? who.getName()
                : who instanceof AnonymousAuthenticationToken && api.matches(request) ? "anonymous" : null;
        long wait = bucket == null ? 0 : limiter.acquire(bucket);
        if (wait > 0) {
            log.debug("Rate limited {}: {} {}", bucket, request.getMethod(), request.getRequestURI());
            problems.tooManyRequests(
                    request,
                    response,
                    "More than " + perMinute + " requests per minute with this token; retry in " + wait + " s",
                    wait);
            return;
        }
        chain.doFilter(request, response);
    }
}
