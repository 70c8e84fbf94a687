package dispatch.tracker;

import dispatch.platform.SyncState;
import dispatch.standin.EmbeddedDatabase;
import dispatch.standin.tracker.FakeTracker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.web.client.RestClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * A {@link FakeTracker}, a migrated database of its own and clients built by hand against both: waits are recorded
 * instead of slept, jitter is off, the clock is moved by the test.
 */
final class TrackerFixture implements AutoCloseable {

    /** A clock the test moves. */
    static final class MutableClock extends Clock {
        private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-28T10:00:00Z"));

        void advance(Duration duration) {
            now.updateAndGet(t -> t.plus(duration));
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    final FakeTracker tracker;
    final DataSource database;
    final JdbcClient jdbc;
    final MutableClock clock = new MutableClock();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final List<Duration> waits = Collections.synchronizedList(new ArrayList<>());
    private final JsonMapper json = JsonMapper.builder().build();

    TrackerFixture(FakeTracker.Settings settings) {
        this.tracker = FakeTracker.start(settings);
        this.database = new SimpleDriverDataSource(
                new org.postgresql.Driver(), EmbeddedDatabase.newDatabase(), EmbeddedDatabase.USER, "");
        Flyway.configure()
                .dataSource(database)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        this.jdbc = JdbcClient.create(database);
    }

    private static TrackerFixture shared;

    /** One fake with default settings and one database for the JVM; tests reset the fake and clear the records. */
    static synchronized TrackerFixture shared() {
        if (shared == null) {
            shared = new TrackerFixture(FakeTracker.Settings.defaults());
        }
        shared.tracker.reset();
        shared.waits.clear();
        shared.meters.clear();
        return shared;
    }

    /** Settings pointing at the fake: fast retries (10 ms doubling up to 100 ms, no jitter), a wide circuit window. */
    Map<String, Object> properties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("base-url", tracker.baseUrl());
        p.put("oauth-url", tracker.oauthTokenUrl());
        p.put("org-id", tracker.settings().orgId());
        p.put("access-token", tracker.settings().accessToken());
        p.put("refresh-token", tracker.settings().refreshToken());
        p.put("client-id", "dev-client");
        p.put("client-secret", "dev-secret");
        p.put("queue", tracker.settings().queue());
        p.put("read-timeout", "5s");
        p.put("retry.initial-backoff", "10ms");
        p.put("retry.max-backoff", "100ms");
        p.put("retry.jitter", "0");
        p.put("circuit.window", "100");
        p.put("circuit.minimum-calls", "100");
        return p;
    }

    TrackerClient client() {
        return client(properties(), 100);
    }

    /** A new client, as a new instance or a restart would build it (fresh token state, same database). */
    TrackerClient client(Map<String, Object> properties, int perPage) {
        return client(properties, perPage, TrackerClient.PAGE_LIMIT);
    }

    TrackerClient client(Map<String, Object> properties, int perPage, int scrollAbove) {
        TrackerProperties settings = settings(properties);
        RestClient rest = TrackerConfiguration.restClient(RestClient.builder(), settings);
        TrackerTokens tokens = new TrackerTokens(
                settings, jdbc, new SyncState(jdbc), new DataSourceTransactionManager(database), rest, json);
        TrackerHttp http = new TrackerHttp(settings, rest, tokens, json, meters, clock, waits::add, () -> 0.5);
        return new TrackerClient(http, settings.queue(), perPage, scrollAbove, clock);
    }

    static TrackerProperties settings(Map<String, Object> properties) {
        Map<String, Object> prefixed = new LinkedHashMap<>();
        properties.forEach((k, v) -> prefixed.put("dispatch.tracker." + k, v));
        return new Binder(new MapConfigurationPropertySource(prefixed))
                .bind("dispatch.tracker", TrackerProperties.class)
                .get();
    }

    @Override
    public void close() {
        tracker.close();
    }
}
