package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Settings;
import dispatch.standin.tracker.FakeTracker.TokenPair;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** Access and refresh tokens of the fake OAuth server; the {@code /token} endpoint's logic. Thread-safe. */
final class Tokens {

    private final Settings settings;
    private final Set<String> access = new HashSet<>();
    private final Set<String> refresh = new HashSet<>();
    private final Set<String> expired = new HashSet<>();

    Tokens(Settings settings) {
        this.settings = settings;
        if (settings.accessToken() != null) {
            access.add(settings.accessToken());
        }
        if (settings.refreshToken() != null) {
            refresh.add(settings.refreshToken());
        }
    }

    /** Dev mode accepts any non-blank token not yet expired; otherwise only issued ones. */
    synchronized boolean valid(String token) {
        if (token == null || token.isBlank() || expired.contains(token)) {
            return false;
        }
        if (settings.acceptAnyToken()) {
            access.add(token);
            return true;
        }
        return access.contains(token);
    }

    synchronized void expireAll() {
        expired.addAll(access);
        access.clear();
    }

    synchronized TokenPair issue() {
        TokenPair pair = new TokenPair("fake-access-" + UUID.randomUUID(), "fake-refresh-" + UUID.randomUUID());
        access.add(pair.accessToken());
        refresh.add(pair.refreshToken());
        return pair;
    }

    /**
     * {@code grant_type=refresh_token}: a known refresh token (any, in dev mode) is swapped for a new pair and
     * stops working (rotation). Errors follow RFC 6749: 400 {@code invalid_grant} / 401 {@code invalid_client}.
     */
    synchronized Http.Response refresh(Map<String, String> form, String authorization) {
        if (settings.oauthClientId() != null && !clientOk(form, authorization)) {
            return oauthError(401, "invalid_client", "Client authentication failed");
        }
        if (!"refresh_token".equals(form.get("grant_type"))) {
            return oauthError(400, "unsupported_grant_type", "Only refresh_token is supported by the fake");
        }
        String token = form.get("refresh_token");
        boolean known = token != null && (refresh.contains(token) || (settings.acceptAnyToken() && !token.isBlank()));
        if (!known) {
            return oauthError(400, "invalid_grant", "Invalid refresh token");
        }
        refresh.remove(token);
        TokenPair pair = issue();
        ObjectNode body = Json.object();
        body.put("token_type", "bearer");
        body.put("access_token", pair.accessToken());
        body.put("refresh_token", pair.refreshToken());
        body.put("expires_in", 31_536_000);
        return Http.Response.ok(body);
    }

    private boolean clientOk(Map<String, String> form, String authorization) {
        String id = form.get("client_id");
        String secret = form.get("client_secret");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(
                    Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            id = colon < 0 ? decoded : decoded.substring(0, colon);
            secret = colon < 0 ? "" : decoded.substring(colon + 1);
        }
        return settings.oauthClientId().equals(id)
                && settings.oauthClientSecret().equals(secret);
    }

    private static Http.Response oauthError(int status, String error, String description) {
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", description);
        return Http.Response.json(status, body);
    }
}
