package dispatch.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every refusal of the security chain as an RFC 9457 problem ({@code application/problem+json}): 400 for a path the
 * firewall refuses, 401 with {@code WWW-Authenticate: Bearer} without a valid token, 403 when the token's role is not
 * enough, 429 with {@code Retry-After} over the token's rate limit. Logs name the token, never its value.
 */
final class SecurityProblems
        implements AuthenticationEntryPoint, AuthenticationFailureHandler, AccessDeniedHandler, RequestRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(SecurityProblems.class);

    private final JsonMapper json;

    SecurityProblems(JsonMapper json) {
        this.json = json;
    }

    /** No token, on a path that needs one. */
    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        log.info("Refused {} {}: no token", request.getMethod(), request.getRequestURI());
        response.setHeader("WWW-Authenticate", "Bearer");
        write(
                request,
                response,
                401,
                "Unauthorized",
                "Send 'Authorization: Bearer <token>' with an API token (admin endpoints: an admin token)");
    }

    /** A token was sent but is not one of ours, or the header is not a bearer token. */
    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException e) throws IOException {
        log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        write(request, response, 401, "Unauthorized", e.getMessage());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String name = who == null ? "?" : who.getName();
        log.info("Refused {} {}: token {} lacks the role", request.getMethod(), request.getRequestURI(), name);
        response.setHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"");
        write(
                request,
                response,
                403,
                "Forbidden",
                "The token '" + name + "' may not call this (admin endpoints need an admin token, /actuator/prometheus"
                        + " the metrics token)");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        log.info("Refused {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        write(
                request,
                response,
                400,
                "Bad Request",
                "The path is not in canonical form: encoded '/', '.', '%', ';' or '\\', matrix parameters, dot"
                        + " segments and doubled slashes are refused");
    }

    void tooManyRequests(HttpServletRequest request, HttpServletResponse response, String detail, long waitSeconds)
            throws IOException {
        response.setHeader("Retry-After", Long.toString(waitSeconds));
        write(request, response, 429, "Too Many Requests", detail);
    }

    private void write(
            HttpServletRequest request, HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        if (response.isCommitted()) return;
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        response.setStatus(status);
        response.setContentType("application/problem+json");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write(json.writeValueAsString(problem));
        response.getWriter().flush();
    }
}
