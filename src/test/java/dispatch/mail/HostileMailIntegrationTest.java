package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The hostile-mail suite ({@link HostileMails}) through GreenMail: no mail, however broken, stops the folder, and a
 * normal mail after them becomes a Tracker issue. The same suite runs against Dovecot in {@code scripts/dovecot.sh}.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.mail.max-attachment-size=1MB",
            "dispatch.mail.limits.max-parts=100",
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms"
        })
class HostileMailIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    MailIntake intake;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyHostileMailEndsStoredOrQuarantinedAndANormalMailAfterThemBecomesAnIssue() throws Exception {
        var figures = new HostileSuite(context)
                .run(
                        new HostileSuite.Server(
                                "127.0.0.1", standIns.mail().imapPort(), MailServer.ADDRESS, MailServer.PASSWORD),
                        false);

        System.out.println("Hostile suite on GreenMail: " + figures);
        assertThat(figures.quarantined()).isPositive();
        // The limits left their notes: nothing beyond them was read, and the raw copy still has it.
        List<Map<String, Object>> notes =
                jdbc.queryForList("select message_id, notes, body_text from email_message where notes is not null");
        assertThat(notes.stream().map(r -> (String) r.get("notes")))
                .anyMatch(n -> n.contains("MIME parts beyond the limit of 100"))
                .anyMatch(n -> n.contains("nested deeper than 32"));
        assertThat(jdbc.queryForObject(
                        "select a.file_name from email_attachment a join email_message m on m.id = a.email_message_id"
                                + " where m.message_id = 'hostile-file-name-cut-in-a-surrogate-pair@test.example'",
                        String.class))
                .as("the half of a surrogate pair left by the cut is replaced, the rest kept")
                .isEqualTo("\uFFFD" + "\uD835\uDC00".repeat(99) + "c");
        assertThat(jdbc.queryForObject(
                        "select count(*) from email_attachment where skipped_reason like 'larger than%'", Long.class))
                .isEqualTo(1);
    }

    @Test
    void aQuarantinedMailWithoutRawCopyIsRefetchedByUidOnReplay() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, email_sighting cascade");
        List<Long> uids = RawImapAppend.append(
                "127.0.0.1",
                standIns.mail().imapPort(),
                MailServer.ADDRESS,
                MailServer.PASSWORD,
                "INBOX",
                List.of(HostileMails.normal()));
        intake.pollOnce();
        // As if the server had refused this UID when it was read: a row without raw bytes, the message not stored.
        long folder = jdbc.queryForObject("select id from mail_folder where role = 'INBOX'", Long.class);
        long uidValidity = jdbc.queryForObject("select uidvalidity from mail_folder where id = ?", Long.class, folder);
        jdbc.execute("truncate email_message cascade");
        jdbc.update(
                "insert into mail_quarantine (folder_id, uidvalidity, uid, reason) values (?, ?, ?, 'download failed')",
                folder,
                uidValidity,
                uids.get(0));
        long id = jdbc.queryForObject("select id from mail_quarantine", Long.class);

        assertThat(intake.replay(id)).isEqualTo("stored");
        assertThat(jdbc.queryForObject("select subject from email_message", String.class))
                .isEqualTo(HostileMails.NORMAL_SUBJECT);
    }
}
