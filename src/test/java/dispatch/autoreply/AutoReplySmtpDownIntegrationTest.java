package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.tracker.StatusCommandIssued.Command;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * With the SMTP server unreachable the send is retried with backoff, then the dispatcher is told in Tracker; health
 * and metrics show it.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.mail.smtp.port=1",
            "dispatch.mail.smtp.timeout=2s",
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.max-attempts=3"
        })
class AutoReplySmtpDownIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Test
    void theIssueMovesToErrorSayingTheMailDidNotGoOut() throws Exception {
        AutoReplyFixture fixture = new AutoReplyFixture(context);
        long incident = fixture.receive("down@op.example", "noc@op.example", null, "Нет связи", "Нет связи.");
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(fixture.jdbc.queryForObject(
                        "select attempts from outbox where kind = ? and status = 'FAILED'",
                        Integer.class,
                        AutoReplies.KIND))
                .isEqualTo(3);
        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key))
                .anySatisfy(
                        c -> assertThat(c).startsWith("Не удалось уведомить оператора о принятии заявки в работу."));
        assertThat(fixture.history(incident)).endsWith("Уведомляем оператора", "Ошибка");
        assertThat(fixture.sentRecords()).isZero();
        assertThat(context.getBean("smtpHealthIndicator", HealthIndicator.class)
                        .health()
                        .getStatus())
                .isEqualTo(Status.DOWN);
        assertThat(context.getBean(MeterRegistry.class)
                        .counter("dispatch.mail.sent", "result", "failed")
                        .count())
                .isEqualTo(3);
    }
}
