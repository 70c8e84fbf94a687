package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.standin.tracker.FakeTracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OAuth refresh on 401 against a fake that only accepts the tokens it issued and rotates refresh tokens: the new pair
 * is stored and survives a restart, an operator's new env token wins, and two instances refresh once.
 */
class TrackerTokensTest {

    TrackerFixture fixture;
    FakeTracker tracker;
    String key;

    @BeforeEach
    void start() {
        fixture = new TrackerFixture(FakeTracker.Settings.builder()
                .acceptAnyToken(false)
                .tokens("env-access", "env-refresh")
                .oauthClient("dev-client", "dev-secret")
                .build());
        tracker = fixture.tracker;
        key = fixture.client()
                .create(Map.of("queue", "DISPATCH", "summary", "tokens"), "tokens-1")
                .key();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void expiredTokenIsRefreshedOnceAndTheNewPairOutlivesARestart() {
        TrackerClient client = fixture.client();
        tracker.expireAccessTokens();

        assertThat(client.get(key).key()).isEqualTo(key);
        assertThat(client.get(key).key()).isEqualTo(key);

        assertThat(tracker.callCount("POST /token")).isEqualTo(1);
        String stored = fixture.jdbc
                .sql("select value::text from sync_state where key = 'tracker.oauth'")
                .query(String.class)
                .single();
        assertThat(stored).contains("fake-access-").doesNotContain("env-access");

        TrackerClient restarted = fixture.client();
        assertThat(restarted.get(key).key()).isEqualTo(key);
        assertThat(tracker.callCount("POST /token")).isEqualTo(1);
    }

    @Test
    void aNewAccessTokenFromTheOperatorWinsOverTheStoredPair() {
        tracker.expireAccessTokens();
        fixture.client().get(key); // stores a refreshed pair
        tracker.expireAccessTokens(); // ... which is no longer valid either
        FakeTracker.TokenPair rotated = tracker.issueTokens();
        Map<String, Object> properties = fixture.properties();
        properties.put("access-token", rotated.accessToken());
        properties.put("refresh-token", rotated.refreshToken());

        assertThat(fixture.client(properties, 100).get(key).key()).isEqualTo(key);
        assertThat(tracker.callCount("POST /token")).isEqualTo(1);
    }

    @Test
    void twoInstancesRejectedAtOnceRefreshOnlyOnce() throws Exception {
        TrackerClient first = fixture.client();
        TrackerClient second = fixture.client();
        first.get(key);
        second.get(key);
        tracker.latency(Duration.ofMillis(50));
        tracker.expireAccessTokens();
        CyclicBarrier together = new CyclicBarrier(4);
        List<CompletableFuture<String>> calls = new ArrayList<>();
        for (TrackerClient client : List.of(first, second, first, second)) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                await(together);
                return client.get(key).key();
            }));
        }

        for (CompletableFuture<String> call : calls) {
            assertThat(call.get(20, TimeUnit.SECONDS)).isEqualTo(key);
        }
        assertThat(tracker.callCount("POST /token")).isEqualTo(1);
    }

    @Test
    void iamTokenIsNotRefreshed() {
        Map<String, Object> properties = fixture.properties();
        properties.put("auth-type", "IAM");
        TrackerClient client = fixture.client(properties, 100);
        tracker.expireAccessTokens();

        assertThatThrownBy(() -> client.get(key)).isInstanceOfSatisfying(TrackerException.class, e -> {
            assertThat(e.status()).isEqualTo(401);
            assertThat(e.getMessage()).contains("IAM");
        });
        assertThat(tracker.callCount("POST /token")).isZero();
    }

    @Test
    void refusedRefreshTellsTheOperatorToAuthoriseAgain() {
        Map<String, Object> properties = fixture.properties();
        properties.put("refresh-token", "revoked");
        TrackerClient client = fixture.client(properties, 100);
        tracker.expireAccessTokens();

        assertThatThrownBy(() -> client.get(key))
                .isInstanceOfSatisfying(
                        TrackerException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("invalid_grant")
                .hasMessageNotContaining("revoked");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
