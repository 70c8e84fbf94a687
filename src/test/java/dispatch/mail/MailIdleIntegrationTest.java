package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * With background jobs on and the safety poll an hour away, mail delivered over SMTP is stored because IMAP IDLE
 * announced it.
 */
@DispatchIntegrationTest
@TestPropertySource(properties = {"dispatch.scheduling-enabled=true", "dispatch.mail.poll-interval=1h"})
@Import(MailIdleIntegrationTest.AppendWhileReading.class)
class MailIdleIntegrationTest {

    /** Appends a message to INBOX while the intake is storing another one, i.e. in the middle of a read. */
    @TestConfiguration
    static class AppendWhileReading {

        final AtomicReference<byte[]> next = new AtomicReference<>();
        final StandIns standIns;

        AppendWhileReading(StandIns standIns) {
            this.standIns = standIns;
        }

        @EventListener
        void on(MailReceived stored) {
            byte[] message = next.getAndSet(null);
            if (message != null) {
                standIns.mail().append("INBOX", message);
            }
        }
    }

    @Autowired
    AppendWhileReading appendWhileReading;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void mailDeliveredOverSmtpIsStoredWithoutWaitingForThePoll() throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(standIns.mail().smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(props));
        message.setFrom(new InternetAddress("noc@carrier.example.test"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(MailServer.ADDRESS));
        message.setSubject("Авария по питанию на опоре 50123-01", "UTF-8");
        message.setText("Нет питания с 10:15", "UTF-8");

        Transport.send(message);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(jdbc.queryForList("select subject from email_message", String.class))
                        .contains("Авария по питанию на опоре 50123-01"));
    }

    @Test
    void mailDeliveredWhileTheWatcherReadsIsStoredWithoutWaitingForThePoll() {
        // The scheduled read at start-up reads INBOX, then Sent: once Sent has a checkpoint, only IDLE reads INBOX.
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        jdbc.queryForObject("select count(*) from mail_folder where role = 'SENT'", Long.class) > 0);
        appendWhileReading.next.set(mail(2, "Нет связи на БС 50124-02"));

        standIns.mail().append("INBOX", mail(1, "Нет питания на опоре 50124-01"));

        // The safety poll is an hour away: the second message can only come in through IDLE (30 s: a loaded CI host).
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(jdbc.queryForList("select subject from email_message", String.class))
                        .contains("Нет питания на опоре 50124-01", "Нет связи на БС 50124-02"));
        assertThat(appendWhileReading.next.get()).as("appended during the read").isNull();
    }

    private static byte[] mail(int n, String subject) {
        return ("Message-ID: <idle-read-" + n + "@carrier.example.test>\r\n"
                        + "From: noc@carrier.example.test\r\nTo: " + MailServer.ADDRESS + "\r\n"
                        + "Subject: =?UTF-8?B?"
                        + Base64.getEncoder().encodeToString(subject.getBytes(StandardCharsets.UTF_8))
                        + "?=\r\nDate: Fri, 20 Nov 2026 10:00:00 +0300\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nТекст " + n + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
