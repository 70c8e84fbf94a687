package dispatch.autoreply;

import static dispatch.autoreply.AutoReplyFixture.addresses;
import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.mail.MailServer;
import dispatch.tracker.StatusCommandIssued.Command;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Who an auto-reply goes to is decided by the sender's headers, so it is checked: malformed addresses are dropped and
 * named in Tracker instead of failing the auto-reply, at most ten recipients, never the mailbox's own aliases, never
 * an address that bounced hard.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.max-attempts=3",
            "dispatch.outbox.lease=1s",
            "dispatch.autoreply.own-addresses=alias@example.test"
        })
class AutoReplyRecipientsIntegrationTest {

    @Autowired
    ApplicationContext context;

    AutoReplyFixture fixture;
    String ours;

    @BeforeEach
    void clean() throws Exception {
        fixture = new AutoReplyFixture(context);
    }

    @Test
    void aMalformedAddressInCopyIsDroppedAndNamedWhileTheOthersGetTheMail() throws Exception {
        long incident = fixture.receive(mail("malformed@op.example")
                .from("noc@op.example")
                .header("Cc: boss@op.example, other@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);
        // What intake stores for "Cc: bad@exa..mple.example" from a server such as Dovecot (GreenMail cannot build
        // the IMAP envelope of that header, so the address is put in place here).
        fixture.jdbc.update(
                "update email_recipient set address = 'bad@exa..mple.example' where address = ?", "other@op.example");

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.receivedBy("boss@op.example")).hasSize(1);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
        assertThat(String.join("\n", fixture.comments(key)))
                .contains("Не отправлено")
                .contains("bad\\@exa\\.\\.mple\\.example \\(неверный адрес\\)");
    }

    @Test
    void atMostTenRecipientsNeverTheMailboxItselfAndNoAddressTwice() throws Exception {
        String copied = IntStream.range(0, 30)
                .mapToObj(i -> "person" + i + "@op.example")
                .collect(Collectors.joining(", "));
        long incident = fixture.receive(mail("many@op.example")
                .from("noc@op.example")
                .header("Cc: NOC@op.example, " + MailServer.ADDRESS + ", ALIAS@example.test, " + copied)
                .subject("Нет связи"));
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        MimeMessage reply = fixture.receivedBy("noc@op.example").get(0);
        List<String> to = addresses(reply, Message.RecipientType.TO);
        List<String> cc = addresses(reply, Message.RecipientType.CC);
        assertThat(to).containsExactly("noc@op.example");
        assertThat(cc).hasSize(9 + 1).endsWith(MailServer.ADDRESS).doesNotContain("alias@example.test");
        assertThat(fixture.receivedBy("person9@op.example")).isEmpty();
        assertThat(String.join("\n", fixture.comments(key)))
                .contains("person9\\@op\\.example \\(больше 10 получателей\\)");
    }

    @Test
    void anAddressThatBouncedHardIsNotMailedAgainAndTheIncidentIsTold() throws Exception {
        long incident = fixture.receive(mail("bounce-first@op.example")
                .from("noc@op.example")
                .header("Cc: gone@op.example")
                .subject("Нет связи"));
        String key = fixture.trackerKey(incident);
        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");
        MimeMessage first = fixture.receivedBy("gone@op.example").get(0);
        ours = first.getMessageID();

        receiveDsn("dsn-1@mx.op.example", "gone@op.example", "5.1.1", ours);
        // A temporary failure, and a report naming a Message-ID we never made, suppress nobody.
        receiveDsn("dsn-2@mx.op.example", "noc@op.example", "4.2.2", ours);
        receiveDsn("dsn-3@mx.op.example", "noc@op.example", "5.1.1", "<INC-1.aaaaaaaa.0123456789abcdef@example.test>");

        assertThat(String.join("\n", fixture.comments(key)))
                .contains("Адрес gone\\@op\\.example не принимает почту (статус 5\\.1\\.1)")
                .doesNotContain("Адрес noc\\@op\\.example не принимает");

        fixture.command(incident, Command.OPERATOR_CLOSED, "notifyOperatorClosed", "Уведомляем о закрытии");

        assertThat(fixture.receivedBy("gone@op.example")).hasSize(1);
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(2);
        assertThat(String.join("\n", fixture.comments(key)))
                .contains("gone\\@op\\.example \\(письма на него возвращались\\)");
    }

    /** A delivery status notification from the receiving server about a mail with Message-ID {@code original}. */
    /** A DSN threaded to the incident by our mail's id {@code ours}, its returned headers naming {@code original}. */
    private void receiveDsn(String messageId, String recipient, String status, String original) {
        String text =
                """
                From: MAILER-DAEMON@mx.op.example
                To: dispatch@example.test
                Subject: Undelivered Mail Returned to Sender
                Message-ID: <%1$s>
                Date: Fri, 20 Nov 2026 10:00:00 +0000
                Auto-Submitted: auto-replied
                In-Reply-To: %5$s
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

                --b1
                Content-Type: text/plain

                Delivery failed.
                --b1
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.op.example

                Final-Recipient: rfc822; %2$s
                Action: failed
                Status: %3$s

                --b1
                Content-Type: text/rfc822-headers

                Message-ID: %4$s
                Subject: Re: Нет связи

                --b1--
                """.formatted(messageId, recipient, status, original, ours).replace("\n", "\r\n");
        fixture.receive(messageId, text.getBytes(StandardCharsets.UTF_8));
    }
}
