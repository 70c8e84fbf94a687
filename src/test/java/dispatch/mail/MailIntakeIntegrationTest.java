package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/** Every message in INBOX and Sent is stored exactly once, whatever happens between two reads. */
@DispatchIntegrationTest
class MailIntakeIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    FileStore files;

    @LocalServerPort
    int port;

    MailServer mail;

    @BeforeEach
    void cleanMailbox() throws Exception {
        mail = standIns.mail();
        mail.greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, email_sighting cascade");
        jdbc.execute("drop trigger if exists fail_checkpoint on mail_folder");
    }

    @Test
    void storesEachMessageOnceAndOnlyNewOnesOnTheNextRead() {
        appendInbox(1, 1000);

        assertThat(intake.pollOnce().stored()).isEqualTo(1000);
        assertThat(intake.pollOnce().stored()).isZero();
        appendInbox(1001, 10);
        assertThat(intake.pollOnce().stored()).isEqualTo(10);

        assertThat(count("email_message")).isEqualTo(1010);
        assertThat(jdbc.queryForObject("select last_uid from mail_folder where role = 'INBOX'", Long.class))
                .isEqualTo(jdbc.queryForObject("select max(uid) from email_sighting", Long.class));
    }

    @Test
    void sameMessageInInboxAndSentIsStoredOnceWithBothSightings() {
        byte[] message = mail(7, "Авария на опоре 50123-01");
        mail.append("INBOX", message);
        mail.append(MailServer.SENT, message);

        var report = intake.pollOnce();

        assertThat(report.stored()).isEqualTo(1);
        assertThat(report.duplicates()).isEqualTo(1);
        assertThat(count("email_message")).isEqualTo(1);
        assertThat(count("email_sighting")).isEqualTo(2);
    }

    @Test
    void storedAndQuarantinedMailAndTheIngestLagAreInTheMetrics() {
        appendInbox(1, 2);
        intake.pollOnce();

        String metrics = RestClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/actuator/prometheus")
                .retrieve()
                .body(String.class);

        assertThat(metrics)
                .contains(
                        "dispatch_mail_stored_total{account=\"dispatch\",auto=\"NONE\",folder=\"INBOX\",origin=\"EXTERNAL\"}")
                .contains("dispatch_mail_ingest_lag_seconds_count");
    }

    @Test
    void largeAttachmentsAreStoredWholeAndOversizedOnesRecordedWithAReason() throws Exception {
        mail.append("INBOX", withAttachment(91, "акт-30mb.bin", 30 * 1024 * 1024));
        mail.append("INBOX", withAttachment(92, "архив-49mb.bin", 49 * 1024 * 1024));

        var report = intake.pollOnce();

        assertThat(report.stored()).isEqualTo(2);
        var rows =
                jdbc.queryForList("select file_name, size, sha256, skipped_reason from email_attachment order by size");
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0))
                .containsEntry("file_name", "акт-30mb.bin")
                .containsEntry("size", 30L * 1024 * 1024)
                .containsEntry("skipped_reason", null);
        String kept = (String) rows.get(0).get("sha256");
        assertThat(kept).isNotNull();
        assertThat(FileStore.sha256().digest(java.nio.file.Files.readAllBytes(files.attachmentPath(kept))))
                .as("the 30 MB file is on disk whole")
                .isEqualTo(java.util.HexFormat.of().parseHex(kept));
        assertThat(rows.get(1))
                .containsEntry("file_name", "архив-49mb.bin")
                .containsEntry("size", 49L * 1024 * 1024)
                .containsEntry("sha256", null);
        assertThat((String) rows.get(1).get("skipped_reason"))
                .as("what a dispatcher reads instead of the file")
                .contains("limit")
                .contains("not kept");
        assertThat(count("email_message")).isEqualTo(2);
    }

    private static byte[] withAttachment(int n, String fileName, int size) {
        byte[] content = new byte[size];
        new java.util.Random(n).nextBytes(content);
        String base64 = java.util.Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(content);
        String encodedName =
                java.net.URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return ("Message-ID: <big" + n + "@carrier.example.test>\r\n"
                        + "From: noc@carrier.example.test\r\nTo: dispatch@example.test\r\nSubject: Фото " + n + "\r\n"
                        + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                        + "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nФото во вложении\r\n"
                        + "--b\r\nContent-Type: application/octet-stream\r\n"
                        + "Content-Disposition: attachment; filename*=UTF-8''" + encodedName + "\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\n" + base64 + "\r\n--b--\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sentMailIsStoredAsOutbound() {
        mail.append(MailServer.SENT, mail(8, "Re: Авария"));

        intake.pollOnce();

        assertThat(jdbc.queryForObject("select direction from email_message", String.class))
                .isEqualTo("OUTBOUND");
    }

    @Test
    void aFailedBatchIsReadAgainWithoutLossOrDuplicates() {
        appendInbox(1, 250);
        // The checkpoint write of the second batch fails, as if the process died before its commit.
        jdbc.execute("""
                create or replace function fail_checkpoint() returns trigger as $$
                begin
                  if (select count(*) from mail_inbound) + (select count(*) from email_message) > 100 then
                    raise exception 'simulated crash before commit';
                  end if;
                  return new;
                end $$ language plpgsql;
                create trigger fail_checkpoint before update on mail_folder for each row execute function fail_checkpoint();
                """);

        var first = intake.pollOnce();
        jdbc.execute("drop trigger fail_checkpoint on mail_folder");
        var second = intake.pollOnce();

        assertThat(first.failedFolders()).hasSize(1);
        assertThat(first.fetched()).isEqualTo(100);
        assertThat(first.stored()).isEqualTo(100);
        assertThat(second.fetched()).isEqualTo(150);
        assertThat(second.stored()).isEqualTo(150);
        assertThat(count("email_message")).isEqualTo(250);
    }

    @Test
    void uidValidityChangeRescansWithoutDuplicates() throws Exception {
        appendInbox(1, 5);
        intake.pollOnce();
        jdbc.update("update mail_folder set uidvalidity = uidvalidity + 1 where role = 'INBOX'");

        var report = intake.pollOnce();

        assertThat(report.stored()).isZero();
        assertThat(report.duplicates()).isEqualTo(5);
        assertThat(count("email_message")).isEqualTo(5);
    }

    @Test
    void messageThatCannotBeStoredIsQuarantinedAndTheFolderMovesOn() {
        appendInbox(1, 3);
        rejectSubject("Сообщение 2");
        try {
            var report = intake.pollOnce();

            assertThat(report.stored()).isEqualTo(2);
            assertThat(report.quarantined()).isEqualTo(1);
            assertThat(jdbc.queryForObject("select reason from mail_quarantine", String.class))
                    .contains("simulated storage failure");
            assertThat(jdbc.queryForObject("select raw_sha256 from mail_quarantine", String.class))
                    .hasSize(64);
            assertThat(jdbc.queryForObject("select last_uid from mail_folder where role = 'INBOX'", Long.class))
                    .isEqualTo(jdbc.queryForObject("select uid from mail_quarantine", Long.class) + 1);
        } finally {
            jdbc.execute("drop trigger reject_subject on email_message");
        }
    }

    @Test
    void adminsListQuarantinedMailAndReplayItAfterTheFix() {
        appendInbox(1, 2);
        rejectSubject("Сообщение 2");
        intake.pollOnce();
        jdbc.execute("drop trigger reject_subject on email_message");
        RestClient api = RestClient.create("http://127.0.0.1:" + port);

        var anonymous = api.get()
                .uri("/api/v1/admin/mail/quarantine")
                .retrieve()
                .onStatus(s -> true, (rq, rs) -> {})
                .toEntity(String.class);
        var readToken = api.get()
                .uri("/api/v1/admin/mail/quarantine")
                .header("Authorization", "Bearer " + StandIns.API_TOKEN)
                .retrieve()
                .onStatus(s -> true, (rq, rs) -> {})
                .toEntity(String.class);
        List<Map<String, Object>> listed = api.get()
                .uri("/api/v1/admin/mail/quarantine")
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .retrieve()
                .body(new ParameterizedTypeReference<>() {});
        Number id = (Number) listed.get(0).get("id");
        Map<String, String> replay = api.post()
                .uri("/api/v1/admin/mail/quarantine/{id}/replay", id)
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .retrieve()
                .body(new ParameterizedTypeReference<>() {});

        assertThat(anonymous.getStatusCode().value()).isEqualTo(401);
        assertThat(anonymous.getBody()).contains("Authorization: Bearer");
        assertThat(readToken.getStatusCode().value()).isEqualTo(403);
        assertThat(listed).hasSize(1);
        assertThat(listed.get(0).get("reason").toString()).contains("simulated storage failure");
        assertThat(replay).containsEntry("result", "stored");
        assertThat(jdbc.queryForList("select subject from email_message", String.class))
                .containsExactlyInAnyOrder("Сообщение 1", "Сообщение 2");
        assertThat(intake.quarantined(false)).isEmpty();
    }

    @Test
    void mailWithoutMessageIdGetsAStableSyntheticIdAndIsNotDoubled() {
        byte[] noId = ("From: a@example.test\r\nTo: dispatch@example.test\r\nSubject: без id\r\n"
                        + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\n\r\nтекст\r\n")
                .getBytes(StandardCharsets.UTF_8);
        mail.append("INBOX", noId);
        mail.append("INBOX", noId);

        var report = intake.pollOnce();

        assertThat(report.stored()).isEqualTo(1);
        assertThat(jdbc.queryForObject("select message_id_synthetic from email_message", Boolean.class))
                .isTrue();
    }

    /** A storage failure for one message, raised by the database itself. */
    private void rejectSubject(String subject) {
        jdbc.execute("""
                create or replace function reject_subject() returns trigger as $$
                begin
                  if new.subject = '%s' then raise exception 'simulated storage failure'; end if;
                  return new;
                end $$ language plpgsql;
                create trigger reject_subject before insert on email_message for each row execute function reject_subject();
                """.formatted(subject));
    }

    private void appendInbox(int from, int count) {
        for (int i = from; i < from + count; i++) {
            mail.append("INBOX", mail(i, "Сообщение " + i));
        }
    }

    private static byte[] mail(int n, String subject) {
        return ("Message-ID: <m" + n + "@carrier.example.test>\r\n"
                        + "From: Оператор <noc@carrier.example.test>\r\n"
                        + "To: dispatch@example.test\r\n"
                        + "Subject: " + subject + "\r\n"
                        + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                        + "Нет питания на опоре 50123-01, сообщение " + n + "\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    @Test
    void mailWhoseEnvelopeCannotBeReadDoesNotStopTheFolder() {
        String common = "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\nSubject: broken\r\n";
        mail.append(
                "INBOX",
                (common + "Message-ID: <e1@x.test>\r\nFrom: Someone <someone@>\r\n\r\nx\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        mail.append(
                "INBOX",
                (common + "Message-ID: <e2@x.test>\r\nTo: Группа: a@x.test, b@y.test;, undisclosed:;\r\n\r\nx\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        mail.append(
                "INBOX",
                (common + "Message-ID: bare-id@x.test\r\nFrom: a@x.test\r\n\r\nx\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        appendInbox(1, 1);

        var report = intake.pollOnce();

        assertThat(report.failedFolders()).isEmpty();
        assertThat(jdbc.queryForList("select subject from email_message", String.class))
                .contains("Сообщение 1");
    }
}
