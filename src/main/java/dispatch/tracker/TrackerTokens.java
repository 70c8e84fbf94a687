package dispatch.tracker;

import dispatch.platform.SyncState;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The access token Tracker calls carry, and its OAuth refresh. The pair a refresh returns is kept in
 * {@code sync_state} under {@value #KEY}, so it survives restarts and is shared by every instance; it wins over the
 * environment's pair unless the environment's access token changed since (the operator rotated it on purpose).
 * Refreshes are serialised across instances by a transaction-scoped advisory lock: whoever comes second finds the
 * stored pair already renewed and takes it without calling the OAuth server again (the refresh token rotates, so a
 * second refresh with the old one would fail). Tokens are never logged.
 */
class TrackerTokens {

    static final String KEY = "tracker.oauth";

    private static final Logger log = LoggerFactory.getLogger(TrackerTokens.class);

    /** What is stored: the pair, and a hash of the environment access token it descends from. */
    private record Stored(String accessToken, String refreshToken, String envToken) {}

    private final TrackerProperties settings;
    private final JdbcClient jdbc;
    private final SyncState state;
    private final TransactionTemplate tx;
    private final RestClient http;
    private final JsonMapper json;
    private final String envToken;
    private volatile @Nullable String accessToken;
    private volatile @Nullable String refreshToken;

    TrackerTokens(
            TrackerProperties settings,
            JdbcClient jdbc,
            SyncState state,
            PlatformTransactionManager transactions,
            RestClient http,
            JsonMapper json) {
        this.settings = settings;
        this.jdbc = jdbc;
        this.state = state;
        this.tx = new TransactionTemplate(transactions);
        this.http = http;
        this.json = json;
        this.envToken = sha256(String.valueOf(settings.accessToken()));
    }

    /** The access token to send; on first use the stored pair is read (it wins if it descends from the env one). */
    String accessToken() {
        String token = accessToken;
        if (token == null) {
            synchronized (this) {
                if (accessToken == null) {
                    adopt(refreshable() ? stored().orElse(null) : null);
                }
                token = accessToken;
            }
        }
        return token;
    }

    boolean refreshable() {
        return settings.authType() == TrackerProperties.AuthType.OAUTH
                && !blank(settings.refreshToken())
                && !blank(settings.clientId());
    }

    /**
     * Called after Tracker answered 401 to {@code rejected}: returns a token to repeat the call with, renewing the
     * pair unless another thread or instance already did.
     *
     * @throws TrackerException 401 when the token cannot be refreshed (IAM, no refresh token, refresh refused)
     */
    synchronized String renew(String rejected) {
        if (!refreshable()) {
            throw new TrackerException(
                    401,
                    settings.authType() == TrackerProperties.AuthType.IAM
                            ? "Tracker rejected the IAM token (401); IAM tokens are not refreshed here: issue a new"
                                    + " one and set DISPATCH_TRACKER_ACCESSTOKEN"
                            : "Tracker rejected the access token (401) and no refresh token/client id is configured",
                    null);
        }
        String current = accessToken();
        if (!current.equals(rejected)) {
            return current; // another thread of this instance renewed it meanwhile
        }
        Stored renewed = tx.execute(status -> {
            jdbc.sql("select pg_advisory_xact_lock(hashtext(:key))")
                    .param("key", KEY)
                    .query()
                    .singleValue();
            Optional<Stored> stored = stored();
            if (stored.isPresent() && !stored.get().accessToken().equals(rejected)) {
                log.info("Tracker access token was renewed by another instance; using it");
                return stored.get();
            }
            Stored fresh = refresh(stored.map(Stored::refreshToken).orElse(String.valueOf(refreshToken)));
            state.putJson(
                    KEY,
                    json.writeValueAsString(Map.of(
                            "accessToken", fresh.accessToken(),
                            "refreshToken", fresh.refreshToken(),
                            "envToken", fresh.envToken())));
            log.info("Tracker access token renewed with the refresh token; the new pair is stored");
            return fresh;
        });
        adopt(renewed);
        return String.valueOf(accessToken);
    }

    private Stored refresh(String refresh) {
        String form = form(Map.of(
                "grant_type",
                "refresh_token",
                "refresh_token",
                refresh,
                "client_id",
                String.valueOf(settings.clientId()),
                "client_secret",
                settings.clientSecret() == null ? "" : settings.clientSecret()));
        try {
            JsonNode answer = http.post()
                    .uri(settings.oauthUrl())
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .body(form)
                    .exchange((request, response) -> {
                        byte[] body = response.getBody().readAllBytes();
                        if (!response.getStatusCode().is2xxSuccessful()) {
                            throw new TrackerException(
                                    401,
                                    "Tracker rejected the access token (401) and the OAuth refresh failed ("
                                            + response.getStatusCode().value() + " " + oauthError(body)
                                            + "): authorise the app again and set DISPATCH_TRACKER_ACCESSTOKEN and"
                                            + " DISPATCH_TRACKER_REFRESHTOKEN",
                                    null);
                        }
                        return json.readTree(body);
                    });
            String access = answer.path("access_token").asString("");
            String next = answer.path("refresh_token").asString(refresh);
            if (access.isBlank()) {
                throw new TrackerException(401, "The OAuth refresh answer has no access_token", null);
            }
            return new Stored(access, next, envToken);
        } catch (RestClientException | JacksonException e) {
            throw new TrackerException(0, "OAuth refresh at " + settings.oauthUrl() + " failed: " + e.getMessage(), e);
        }
    }

    private String oauthError(byte[] body) {
        try {
            JsonNode node = json.readTree(body);
            return node.path("error").asString("") + " "
                    + node.path("error_description").asString("");
        } catch (JacksonException e) {
            return "";
        }
    }

    /** The stored pair, if it descends from the current environment token. */
    private Optional<Stored> stored() {
        return state.json(KEY)
                .map(json::readTree)
                .map(node -> new Stored(
                        node.path("accessToken").asString(""),
                        node.path("refreshToken").asString(""),
                        node.path("envToken").asString("")))
                .filter(stored -> stored.envToken().equals(envToken));
    }

    private void adopt(@Nullable Stored stored) {
        accessToken = stored != null ? stored.accessToken() : String.valueOf(settings.accessToken());
        refreshToken = stored != null ? stored.refreshToken() : settings.refreshToken();
    }

    private static String form(Map<String, String> values) {
        Function<String, String> enc = v -> URLEncoder.encode(v, StandardCharsets.UTF_8);
        StringBuilder out = new StringBuilder();
        values.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&")
                .append(enc.apply(k))
                .append('=')
                .append(enc.apply(v)));
        return out.toString();
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean blank(@Nullable String value) {
        return value == null || value.isBlank();
    }
}
