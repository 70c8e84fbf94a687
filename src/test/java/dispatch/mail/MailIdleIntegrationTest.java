package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.MailServer;
import dispatch.standin.StandIns;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * With background jobs on and the safety poll an hour away, mail delivered over SMTP is stored because IMAP IDLE
 * announced it.
 */
@DispatchIntegrationTest
@TestPropertySource(properties = {"dispatch.scheduling-enabled=true", "dispatch.mail.poll-interval=1h"})
class MailIdleIntegrationTest {

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
}
