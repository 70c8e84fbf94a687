package dispatch.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The proof's SMTP sink: keeps and lists every delivery, across a restart, and passes the mailbox's copy on to IMAP. */
class SmtpSinkTest {

    private static final String MAILBOX = "dispatch@example.test";

    @TempDir
    Path dir;

    @Test
    void listsEveryDeliveryAcrossARestartAndPutsTheMailboxCopyIntoItsInbox() throws Exception {
        GreenMail imap = new GreenMail(new ServerSetup(ProofRun.free(), "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        imap.start();
        try {
            imap.setUser(MAILBOX, MAILBOX, "secret");
            int imapPort = imap.getImap().getPort();
            try (SmtpSink.Running sink = start(imapPort)) {
                send(sink.smtpPort, "<one@proof.test>", "op1@operator.test", MAILBOX);
                assertThat(list(sink))
                        .extracting(d -> d.path("recipient").asString() + " "
                                + d.path("messageId").asString())
                        .containsExactlyInAnyOrder("op1@operator.test <one@proof.test>", MAILBOX + " <one@proof.test>");
                // The spooler passes the mailbox's copy on every second (bounded wait).
                for (int i = 0; i < 100 && imap.getReceivedMessages().length == 0; i++) {
                    Thread.sleep(100);
                }
            }
            try (SmtpSink.Running again = start(imapPort)) {
                send(again.smtpPort, "<two@proof.test>", "op2@operator.test", null);
                assertThat(list(again))
                        .hasSize(3)
                        .last()
                        .satisfies(
                                d -> assertThat(d.path("messageId").asString()).isEqualTo("<two@proof.test>"));
            }
            // Only the mailbox's copy went on to IMAP, once.
            assertThat(imap.getReceivedMessages())
                    .extracting(MimeMessage::getMessageID)
                    .containsExactly("<one@proof.test>");
            try (var spooled = Files.list(dir.resolve("spool"))) {
                assertThat(spooled).isEmpty();
            }
        } finally {
            imap.stop();
        }
    }

    private SmtpSink.Running start(int imapPort) throws Exception {
        return SmtpSink.start(ProofRun.free(), ProofRun.free(), dir, MAILBOX, imapPort, "secret");
    }

    private static void send(int port, String messageId, String to, String cc) throws Exception {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(port));
        Session session = Session.getInstance(props);
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        message.setFrom(new InternetAddress(MAILBOX));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        if (cc != null) message.setRecipient(Message.RecipientType.CC, new InternetAddress(cc));
        message.setSubject("Re: DISPATCH-1: Нет питания");
        message.setText("Заявка принята.", "UTF-8");
        Transport.send(message);
    }

    private static java.util.List<JsonNode> list(SmtpSink.Running sink) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.httpPort + "/messages"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        java.util.List<JsonNode> deliveries = new java.util.ArrayList<>();
        JsonMapper.builder().build().readTree(r.body()).forEach(deliveries::add);
        return deliveries;
    }
}
