package dispatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.MailParked;
import dispatch.mail.MailQuarantined;
import dispatch.platform.OutboxDeliveryFailed;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.telegram.FakeTelegram;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatusCode;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

/**
 * On-call admins hear about what needs a person once, again only when it keeps recurring, and when it is over;
 * whichever instance notices it, after a restart, and through a Telegram outage.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.alerts.repeat-after=1500ms",
            "dispatch.alerts.max-per-hour=6",
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms"
        })
class AlertsIntegrationTest {

    @Autowired
    Alerts alerts;

    @Autowired
    AlertLog log;

    @Autowired
    AlertNotices notices;

    @Autowired
    Map<String, HealthIndicator> indicators;

    @Autowired
    Clock clock;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    TelegramSender sender;

    @LocalServerPort
    int port;

    FakeTelegram telegram;

    @BeforeEach
    void clean() {
        jdbc.execute("truncate outbox, alert, alert_notice, alert_health_check cascade");
        telegram = standIns.telegram();
        telegram.clear();
    }

    @Test
    void aDeliveryThatRanOutOfAttemptsIsToldOnceWithHowToRetryItAndARepeatIsCounted() {
        events.publishEvent(failed(17, "HTTP 500"));
        events.publishEvent(failed(17, "HTTP 502"));
        deliver();

        assertThat(telegram.messages()).singleElement().satisfies(m -> {
            assertThat(m.chatId()).isEqualTo(StandIns.TELEGRAM_CHAT);
            assertThat(m.text()).contains("tracker.comment", "20 попыток", "HTTP 500", "/api/v1/admin/outbox/17/retry");
        });
        assertThat(log.list(true, 10))
                .singleElement()
                .satisfies(a -> assertThat(a.occurrences()).isEqualTo(2));
    }

    @Test
    void aComponentDownOnTwoChecksIsToldOnceAndItsEndWithHowLongItLasted() {
        jdbc.update("insert into outbox (kind, dedup_key, status, last_error) values ('x', 'x1', 'FAILED', 'boom')");

        alerts.check();
        deliver();
        assertThat(telegram.messages()).as("one DOWN check may be a blip").isEmpty();
        alerts.check();
        alerts.check();
        deliver();
        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("outbox DOWN", "failed for good"));

        jdbc.update("update outbox set status = 'DONE' where dedup_key = 'x1'");
        alerts.check();
        deliver();
        assertThat(telegram.messages()).hasSize(2);
        assertThat(telegram.messages().get(1).text()).contains("outbox", "снова в порядке", "было");
    }

    @Test
    void anotherInstanceOrARestartKnowsWhatWasCountedAndTold() {
        jdbc.update("insert into outbox (kind, dedup_key, status, last_error) values ('x', 'x2', 'FAILED', 'boom')");
        Alerts first = alerts;
        Alerts second = new Alerts(log, notices, indicators, clock, meters); // a fresh memory: state is in the database

        first.check();
        second.check();
        deliver();
        assertThat(telegram.messages())
                .as("two checks in a row, made by two instances")
                .hasSize(1);

        second.check();
        first.check();
        deliver();
        assertThat(telegram.messages()).as("neither tells it again").hasSize(1);
    }

    @Test
    void whenTelegramFailsTheNoticeIsRetriedAndArrivesOnce() {
        telegram.failNext(502, null);
        events.publishEvent(failed(18, "timeout"));
        deliver();

        assertThat(telegram.requests()).isGreaterThanOrEqualTo(2);
        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("/api/v1/admin/outbox/18/retry"));
    }

    @Test
    void quarantinedMailIsToldAtOnceThenCountedUntilTheRepeatIntervalPassed() throws Exception {
        for (int i = 0; i < 5; i++) events.publishEvent(new MailQuarantined(1, 100 + i, "cannot parse MIME"));
        alerts.check();
        deliver();
        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("карантин", "cannot parse MIME"));

        Thread.sleep(1_600);
        alerts.check();
        deliver();

        assertThat(telegram.messages()).hasSize(2);
        assertThat(telegram.messages().get(1).text()).contains("ещё 4", "всего 5", "GET /api/v1/admin/mail/quarantine");
    }

    @Test
    void theHourlyLimitHoldsTheRestAndThenTellsTheMostSevereFirst() {
        for (int i = 0; i < 6; i++) events.publishEvent(failed(100 + i, "HTTP 500"));
        events.publishEvent(new MailParked(1, "x"));
        events.publishEvent(failed(106, "HTTP 500"));
        events.publishEvent(failed(107, "HTTP 500"));
        deliver();
        assertThat(telegram.messages()).as("six an hour").hasSize(6);
        assertThat(log.list(true, 100).stream().filter(a -> a.notifiedAt() == null))
                .as("waiting for the budget, not lost")
                .hasSize(3);

        jdbc.update("update alert_notice set sent_at = sent_at - interval '1 hour'"); // an hour later
        alerts.check();
        deliver();

        assertThat(telegram.messages()).hasSize(9);
        assertThat(log.notices(3))
                .as("told in this order (newest first); Telegram may receive them in any order")
                .extracting(n -> n.text().substring(0, 2))
                .containsExactly("⚠️".substring(0, 2), "🔴", "🔴");
    }

    @Test
    void secretsNeverReachTheChatAndLongTextsFitTelegram() {
        events.publishEvent(failed(
                19,
                "POST https://robot:s3cret@tracker.example/v3/issues Authorization: OAuth y0_secret-token, "
                        + "https://api.telegram.org/bot123456:AAE-secret/sendMessage " + "x".repeat(6_000)));
        deliver();

        String text = telegram.messages().get(0).text();
        assertThat(text)
                .doesNotContain("s3cret", "y0_secret-token", "AAE-secret")
                .contains("OAuth ***");
        assertThat(text.length()).isLessThanOrEqualTo(4_096);
    }

    @Test
    void adminsListAlertsAndNotices() {
        events.publishEvent(failed(20, "HTTP 500"));
        RestClient http = RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port)
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {})
                .build();

        List<?> open = http.get()
                .uri("/api/v1/admin/alerts")
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .retrieve()
                .body(List.class);
        assertThat(open).singleElement().asString().contains("outbox:20", "CRITICAL");
        assertThat(http.get()
                        .uri("/api/v1/admin/alerts/notices")
                        .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                        .retrieve()
                        .body(String.class))
                .contains("/api/v1/admin/outbox/20/retry");
        assertThat(http.get()
                        .uri("/api/v1/admin/alerts")
                        .header("Authorization", "Bearer " + StandIns.API_TOKEN)
                        .retrieve()
                        .toBodilessEntity()
                        .getStatusCode()
                        .value())
                .isEqualTo(403);
        var bad = http.get()
                .uri("/api/v1/admin/alerts?state=closed")
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .retrieve()
                .toEntity(String.class);
        assertThat(bad.getStatusCode().value()).isEqualTo(400);
        assertThat(bad.getHeaders().getContentType()).hasToString("application/problem+json");
    }

    @Test
    void theDatabaseBeingDownIsToldStraightToTelegramAndItsReturnToo() throws Exception {
        var up = new java.util.concurrent.atomic.AtomicBoolean(false);
        var database = new org.springframework.jdbc.datasource.DelegatingDataSource(dataSource) {
            @Override
            public java.sql.Connection getConnection() throws java.sql.SQLException {
                if (!up.get()) throw new java.sql.SQLTransientConnectionException("Connection refused");
                return super.getConnection();
            }
        };
        DatabaseWatch watch = new DatabaseWatch(database, sender, clock);

        watch.check();
        assertThat(telegram.messages()).as("one failed check may be a blip").isEmpty();
        watch.check();
        watch.check();
        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("база данных недоступна", "Connection refused"));

        up.set(true);
        watch.check();
        watch.check();
        assertThat(telegram.messages()).hasSize(2);
        assertThat(telegram.messages().get(1).text()).contains("база данных снова доступна");
    }

    private static OutboxDeliveryFailed failed(long id, String error) {
        return new OutboxDeliveryFailed(id, "tracker.comment", "tracker.comment:5:" + id, null, 20, error);
    }

    /** Runs the outbox until no alert notice waits (the Telegram fake may fail some attempts). */
    private void deliver() {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            outbox.drain();
            Long waiting = jdbc.queryForObject(
                    "select count(*) from outbox where kind = 'alert.telegram' and status <> 'DONE'", Long.class);
            if (waiting == 0) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("alert notices not delivered");
    }
}
