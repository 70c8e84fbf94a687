package dispatch.mail;

import dispatch.mail.ParsedMail.Address;
import dispatch.mail.ParsedMail.Attachment;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/** Rows of the mail tables. Message-ID uniqueness is the database's job ({@code on conflict do nothing}). */
@Repository
class MailStore {

    /** A folder's checkpoint: the UIDVALIDITY it was read under and the highest UID stored. */
    record Checkpoint(long folderId, Long uidValidity, long lastUid) {}

    /** A message seen at a UID of a folder. */
    record Sighting(long folderId, long uidValidity, long uid, long messageRowId) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final JsonMapper json;

    MailStore(JdbcClient jdbc, JdbcTemplate batches, JsonMapper json) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.json = json;
    }

    Checkpoint checkpoint(String account, String folder, String role) {
        jdbc.sql("insert into mail_folder (account, name, role) values (:account, :name, :role) on conflict do nothing")
                .param("account", account)
                .param("name", folder)
                .param("role", role)
                .update();
        return jdbc.sql("select id, uidvalidity, last_uid from mail_folder where account = :account and name = :name")
                .param("account", account)
                .param("name", folder)
                .query((rs, i) -> new Checkpoint(rs.getLong(1), (Long) rs.getObject(2), rs.getLong(3)))
                .single();
    }

    /**
     * Locks the checkpoint row for the batch transaction and returns its current state. {@code no key update}: it
     * excludes another read of the folder, but not the parse stage's inserts that reference the folder (their key
     * share lock would wait for a {@code for update}, and the two stages would take turns).
     */
    Checkpoint lockCheckpoint(long folderId) {
        return jdbc.sql("select id, uidvalidity, last_uid from mail_folder where id = :id for no key update")
                .param("id", folderId)
                .query((rs, i) -> new Checkpoint(rs.getLong(1), (Long) rs.getObject(2), rs.getLong(3)))
                .single();
    }

    /** The UIDNEXT the server announced when a read of the folder began (for the stall check). */
    void observed(long folderId, long uidNext) {
        jdbc.sql("update mail_folder set uid_next = :next where id = :id")
                .param("next", uidNext)
                .param("id", folderId)
                .update();
    }

    /** A read went through to the end: every UID below {@code uidNext}, announced at its start, is taken care of. */
    void readThrough(long folderId, long uidNext) {
        jdbc.sql("update mail_folder set uid_next_read = :next, read_at = now() where id = :id")
                .param("next", uidNext)
                .param("id", folderId)
                .update();
    }

    void advance(long folderId, long uidValidity, long lastUid) {
        jdbc.sql("update mail_folder set uidvalidity = :v, last_uid = :uid, updated_at = now() where id = :id")
                .param("v", uidValidity)
                .param("uid", lastUid)
                .param("id", folderId)
                .update();
    }

    /**
     * Stores a message unless its Message-ID is known; returns the new row's id, or empty for a duplicate. Its
     * references, recipients and attachments follow with {@link #insertDetails}.
     */
    Optional<Long> insertMessage(
            ParsedMail mail,
            long folderId,
            long uid,
            Direction direction,
            Instant receivedAt,
            String rawSha256,
            long rawSize) {
        return jdbc.sql("""
                        insert into email_message (message_id, message_id_synthetic, folder_id, uid, direction, origin,
                            auto_kind, subject, from_address, from_name, sent_at, received_at, in_reply_to, body_text,
                            body_html, raw_sha256, raw_size, bounce_detail, notes, declared_sent_at)
                        values (:messageId, :synthetic, :folderId, :uid, :direction, :origin, :autoKind, :subject,
                            :fromAddress, :fromName, :sentAt, :receivedAt, :inReplyTo, :bodyText, :bodyHtml, :rawSha256,
                            :rawSize, cast(:bounce as jsonb), :notes, :declaredSentAt)
                        on conflict (message_id) do nothing
                        returning id
                        """)
                .param("messageId", mail.messageId())
                .param("synthetic", mail.messageIdSynthetic())
                .param("folderId", folderId)
                .param("uid", uid)
                .param("direction", direction.name())
                .param("origin", mail.classification().origin().name())
                .param("autoKind", mail.classification().autoKind().name())
                .param("subject", mail.subject())
                .param("fromAddress", mail.from() == null ? null : mail.from().address())
                .param("fromName", mail.from() == null ? null : mail.from().name())
                .param("sentAt", Timestamp.from(mail.sentAt()))
                .param("declaredSentAt", mail.declaredSentAt() == null ? null : Timestamp.from(mail.declaredSentAt()))
                .param("receivedAt", receivedAt == null ? null : Timestamp.from(receivedAt))
                .param(
                        "inReplyTo",
                        mail.inReplyTo().isEmpty() ? null : mail.inReplyTo().get(0))
                .param("bodyText", mail.bodyText())
                .param("bodyHtml", mail.bodyHtml())
                .param("rawSha256", rawSha256)
                .param("rawSize", rawSize)
                .param("bounce", bounceJson(mail.classification().bounce()))
                .param("notes", mail.notes().isEmpty() ? null : String.join("\n", mail.notes()))
                .query(Long.class)
                .optional();
    }

    long idOf(String messageId) {
        return jdbc.sql("select id from email_message where message_id = :id")
                .param("id", messageId)
                .query(Long.class)
                .single();
    }

    /** Records where messages were seen (a re-delivery, or the same mail in INBOX and Sent): one JDBC batch. */
    void recordSightings(List<Sighting> sightings) {
        batch(
                """
                insert into email_sighting (folder_id, uidvalidity, uid, email_message_id)
                values (?, ?, ?, ?) on conflict do nothing
                """,
                sightings.stream()
                        .map(s -> new Object[] {s.folderId(), s.uidValidity(), s.uid(), s.messageRowId()})
                        .toList(),
                Types.BIGINT,
                Types.BIGINT,
                Types.BIGINT,
                Types.BIGINT);
    }

    /** Inserts the references, recipients and attachments of new messages (by row id): one JDBC batch per table. */
    void insertDetails(Map<Long, ParsedMail> messages) {
        List<Object[]> references = new ArrayList<>();
        List<Object[]> recipients = new ArrayList<>();
        List<Object[]> attachments = new ArrayList<>();
        messages.forEach((id, mail) -> {
            for (int i = 0; i < mail.references().size(); i++) {
                references.add(new Object[] {id, i, mail.references().get(i)});
            }
            addRecipients(recipients, id, "TO", mail.to());
            addRecipients(recipients, id, "CC", mail.cc());
            addRecipients(recipients, id, "REPLY_TO", mail.replyTo());
            for (int i = 0; i < mail.attachments().size(); i++) {
                Attachment a = mail.attachments().get(i);
                attachments.add(new Object[] {
                    id,
                    i,
                    a.fileName(),
                    a.contentType(),
                    a.size(),
                    a.sha256(),
                    a.inline(),
                    a.contentId(),
                    a.skippedReason()
                });
            }
        });
        batch(
                "insert into email_reference (email_message_id, position, referenced_message_id) values (?, ?, ?)",
                references,
                Types.BIGINT,
                Types.INTEGER,
                Types.VARCHAR);
        batch("""
                insert into email_recipient (email_message_id, kind, position, address, name)
                values (?, ?, ?, ?, ?)
                """, recipients, Types.BIGINT, Types.VARCHAR, Types.INTEGER, Types.VARCHAR, Types.VARCHAR);
        batch(
                """
                insert into email_attachment (email_message_id, position, file_name, content_type, size, sha256,
                    inline, content_id, skipped_reason)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                attachments,
                Types.BIGINT,
                Types.INTEGER,
                Types.VARCHAR,
                Types.VARCHAR,
                Types.BIGINT,
                Types.VARCHAR,
                Types.BOOLEAN,
                Types.VARCHAR,
                Types.VARCHAR);
    }

    private void batch(String sql, List<Object[]> rows, int... types) {
        if (!rows.isEmpty()) {
            batches.batchUpdate(sql, rows, types);
        }
    }

    private static void addRecipients(List<Object[]> rows, long id, String kind, List<Address> addresses) {
        for (int i = 0; i < addresses.size(); i++) {
            Address a = addresses.get(i);
            rows.add(new Object[] {
                id, kind, i, a.address() != null ? a.address() : a.name(), a.address() != null ? a.name() : null
            });
        }
    }

    private String bounceJson(Classification.Bounce bounce) {
        return bounce == null ? null : json.writeValueAsString(bounce);
    }
}
