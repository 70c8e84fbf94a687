package dispatch.autoreply;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.mail.MailServer;
import dispatch.tracker.StatusCommandIssued.Command;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * With the SMTP server down the send is retried a few times, then the dispatcher is told in Tracker, and health and
 * metrics show it; once the server is back, the dispatcher sets the status again and the mail goes out.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.mail.smtp.timeout=2s",
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.autoreply.send-attempts=3",
            "dispatch.autoreply.send-retry-delay=10ms"
        })
class AutoReplySmtpDownIntegrationTest {

    /** A loopback port nothing listens on until the test starts an SMTP server there. */
    static final int SMTP_PORT = freePort();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("dispatch.mail.smtp.port", () -> SMTP_PORT);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void theIssueMovesToErrorAfterAFewAttemptsAndTheStatusSetAgainSendsTheMail() throws Exception {
        AutoReplyFixture fixture = new AutoReplyFixture(context);
        long incident = fixture.receive(mail("down@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(fixture.jdbc.queryForList(
                        "select status || ' ' || attempts from outbox where kind = ?", String.class, AutoReplies.KIND))
                .as("ended after three attempts, holding nothing up")
                .containsExactly("DONE 3");
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

        GreenMail smtp = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.setUser(MailServer.ADDRESS, MailServer.ADDRESS, MailServer.PASSWORD);
        smtp.start();
        try {
            fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

            assertThat(smtp.getReceivedMessages())
                    .as("one mail, delivered to the requester and the dispatch mailbox in copy")
                    .hasSize(2)
                    .allSatisfy(m -> assertThat(m.getSubject()).isEqualTo("Re: " + key + ": Нет связи"));
            assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
            assertThat(fixture.history(incident)).endsWith("Ошибка", "Уведомляем оператора", "Уведомили оператора");
        } finally {
            smtp.stop();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
