package dispatch.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.MailParked;
import dispatch.mail.MailQuarantined;
import dispatch.platform.OutboxDeliveryFailed;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.FakeTelegram;
import dispatch.standin.StandIns;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/** On-call admins hear about what needs a person once, and again when it recovered. */
@DispatchIntegrationTest
@TestPropertySource(properties = "dispatch.telegram.quarantine-digest=0s")
class AlertsIntegrationTest {

    @Autowired
    Alerts alerts;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    FakeTelegram telegram;

    @BeforeEach
    void clean() {
        jdbc.execute("truncate outbox");
        alerts.check();
        telegram = standIns.telegram();
        telegram.clear();
    }

    @Test
    void aDeliveryThatRanOutOfAttemptsIsReportedAtOnceWithHowToRetryIt() {
        events.publishEvent(
                new OutboxDeliveryFailed(17, "tracker.comment", "tracker.comment:5:3", null, 20, "HTTP 500"));

        assertThat(telegram.messages()).singleElement().satisfies(m -> {
            assertThat(m.chatId()).isEqualTo(StandIns.TELEGRAM_CHAT);
            assertThat(m.text()).contains("tracker.comment", "20 попыток", "HTTP 500", "/api/v1/admin/outbox/17/retry");
        });
    }

    @Test
    void aComponentDownOnTwoChecksIsReportedOnceAndItsRecoveryToo() {
        jdbc.update("insert into outbox (kind, dedup_key, status, last_error) values ('x', 'x1', 'FAILED', 'boom')");

        alerts.check();
        assertThat(telegram.messages()).as("one DOWN check may be a blip").isEmpty();
        alerts.check();
        alerts.check();
        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("outbox DOWN", "failed for good"));

        jdbc.update("update outbox set status = 'DONE'");
        alerts.check();
        assertThat(telegram.messages()).hasSize(2);
        assertThat(telegram.messages().get(1).text()).contains("outbox снова в порядке");
    }

    @Test
    void whenTelegramFailsTheAlertIsSentOnTheNextCheck() {
        telegram.failNext(502, null);
        events.publishEvent(new OutboxDeliveryFailed(18, "tracker.create-issue", "k", null, 20, "timeout"));
        assertThat(telegram.messages()).isEmpty();

        alerts.check();

        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("k"));
    }

    @Test
    void quarantinedMailIsSummedUpNotSentOneByOne() {
        for (int i = 0; i < 5; i++) events.publishEvent(new MailQuarantined(1, 100 + i, "cannot parse MIME"));

        alerts.check();
        alerts.check();

        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("5 писем в карантине", "cannot parse MIME"));
    }

    @Test
    void parkedMailIsSummedUpWithWhereToFindIt() {
        for (int i = 0; i < 3; i++) events.publishEvent(new MailParked(100 + i, "StackOverflowError"));

        alerts.check();
        alerts.check();

        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text())
                        .contains("3 писем отложено", "StackOverflowError", "GET /api/v1/admin/mail/parked"));
    }
}
