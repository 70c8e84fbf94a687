package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.FakeTracker;
import dispatch.standin.Fault;
import dispatch.standin.StandIns;
import dispatch.towerstore.TowerStoreImport;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * A mail with many parts costs a bounded number of uploads per delivery, and an upload that went through is never
 * repeated by a retry of the delivery (same settings as {@link TrackerPushIntegrationTest}, so one context).
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.lease=1s",
            "dispatch.outbox.max-attempts=50",
            "dispatch.tracker.read-timeout=1s",
            "dispatch.tracker.retry.initial-backoff=10ms",
            "dispatch.tracker.retry.max-backoff=50ms",
            "dispatch.tracker.circuit.open-wait=200ms",
            "dispatch.mail.max-attachment-size=4KB",
            "dispatch.tracker.excluded-regions=Tver Region"
        })
class TrackerUploadLimitsIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    TrackerProperties settings;

    FakeTracker tracker;

    @BeforeEach
    void clean() throws Exception {
        tracker = standIns.tracker();
        tracker.reset();
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox cascade");
        if (jdbc.queryForObject("select count(*) from pole", Long.class) == 0) {
            towerStoreImport.importAll();
        }
    }

    @Test
    void aMailWithThousandsOfPartsUploadsTheLimitAndListsTheRestByNameAndSize() throws Exception {
        receive(mailWithParts("parts@op.example", 2_000));

        Map<String, Object> issue = tracker.issue(onlyIssueKey());
        assertThat((List<?>) issue.get("attachments")).hasSize(settings.maxUploads());
        assertThat(uploads()).isEqualTo(settings.maxUploads());
        assertThat((String) issue.get("description"))
                .contains("part-10.txt (7 Б)", "part-1999.txt (9 Б)")
                .doesNotContain("part-9.txt (");
    }

    @Test
    void aRetriedDeliveryAttachesWhatItUploadedBeforeInsteadOfUploadingAgain() throws Exception {
        for (int i = 0; i < 5; i++) tracker.faults().next("POST /issues/", Fault.respond5xx(503));

        receive(mailWithParts("retried@op.example", 3));

        // The client tries a call 4 times (retry.max-attempts): five failed creates span two deliveries at least.
        assertThat(settings.retry().maxAttempts()).isLessThan(5);
        assertThat(tracker.faults().fired())
                .as("every create failure fired, after the uploads of the first delivery")
                .hasSize(5)
                .allSatisfy(f -> assertThat(f).startsWith("POST").contains("/issues"));
        Map<String, Object> issue = tracker.issue(onlyIssueKey());
        assertThat((List<?>) issue.get("attachments")).hasSize(3);
        assertThat(uploads()).as("each part uploaded once over all attempts").isEqualTo(3);
    }

    private int uploads() {
        return tracker.calls().entrySet().stream()
                .filter(e -> e.getKey().startsWith("POST") && e.getKey().contains("attachments"))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    private static byte[] mailWithParts(String messageId, int parts) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", "<" + messageId + ">");
            }
        };
        message.setFrom(new InternetAddress("noc@operator.example"));
        message.setRecipients(Message.RecipientType.TO, "dispatch@example.test");
        message.setSubject("Фото с места аварии", "UTF-8");
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Нет питания, фото во вложении", "UTF-8");
        multipart.addBodyPart(text);
        for (int i = 0; i < parts; i++) {
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(("part " + i).getBytes(), "text/plain")));
            file.setFileName("part-" + i + ".txt");
            multipart.addBodyPart(file);
        }
        message.setContent(multipart);
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    private void receive(byte[] mail) {
        standIns.mail().append("INBOX", mail);
        intake.pollOnce();
        threading.threadPending();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            outbox.drain();
            if (jdbc.queryForObject("select count(*) from outbox where status <> 'DONE'", Long.class) == 0) return;
        }
        throw new AssertionError("outbox not drained: "
                + jdbc.queryForList("select kind, status, attempts, last_error from outbox where status <> 'DONE'"));
    }

    private String onlyIssueKey() {
        List<Map<String, Object>> issues = tracker.issues();
        assertThat(issues).hasSize(1);
        return (String) issues.get(0).get("key");
    }
}
