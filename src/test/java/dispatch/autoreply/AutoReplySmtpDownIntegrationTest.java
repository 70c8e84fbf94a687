package dispatch.autoreply;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.mail.MailServer;
import dispatch.tracker.StatusCommandIssued.Command;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
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
        double failedBefore = failedSends();

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
        assertThat(failedSends() - failedBefore).isEqualTo(3);

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

    /**
     * A server that greets, offers a login and hangs up when the client logs in, as one restarting can: Jakarta Mail
     * reports it as a failed login ("[EOF]"), which must be tried again like any lost connection, not given up at once.
     */
    @Test
    void aServerThatHangsUpDuringTheLoginIsTriedAgain() throws Exception {
        AutoReplyFixture fixture = new AutoReplyFixture(context);
        long incident = fixture.receive(mail("hang-up@op.example")
                .from("noc@op.example")
                .subject("Нет питания")
                .body("Нет питания."));

        try (HangsUpAtLogin server = new HangsUpAtLogin(SMTP_PORT)) {
            fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

            assertThat(server.logins.get())
                    .as("each of the three attempts reached the login")
                    .isEqualTo(3);
        }
        assertThat(fixture.jdbc.queryForList(
                        "select status || ' ' || attempts from outbox where kind = ?", String.class, AutoReplies.KIND))
                .containsExactly("DONE 3");
        assertThat(fixture.comments(fixture.trackerKey(incident)))
                .anySatisfy(c -> assertThat(c).contains("[EOF]"));
    }

    private double failedSends() {
        return context.getBean(MeterRegistry.class)
                .counter("dispatch.mail.sent", "result", "failed")
                .count();
    }

    /** Answers the greeting and EHLO (with AUTH), closes the connection at AUTH; counts the logins tried. */
    private static final class HangsUpAtLogin implements AutoCloseable {
        final AtomicInteger logins = new AtomicInteger();
        private final ServerSocket socket;
        private final Thread thread;

        HangsUpAtLogin(int port) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            thread = new Thread(this::serve, "smtp-hangs-up");
            thread.setDaemon(true);
            thread.start();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    client.setSoTimeout(5000);
                    BufferedReader in = new BufferedReader(
                            new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                    Writer out = new OutputStreamWriter(client.getOutputStream(), StandardCharsets.US_ASCII);
                    out.write("220 localhost ESMTP\r\n");
                    out.flush();
                    for (String line; (line = in.readLine()) != null; ) {
                        String verb = line.toUpperCase(Locale.ROOT);
                        if (verb.startsWith("AUTH")) {
                            logins.incrementAndGet();
                            break;
                        }
                        out.write(verb.startsWith("EHLO") ? "250-localhost\r\n250 AUTH PLAIN LOGIN\r\n" : "250 OK\r\n");
                        out.flush();
                    }
                } catch (IOException e) {
                    // closed by the test, or the client went away: take the next connection
                }
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join(5000);
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
