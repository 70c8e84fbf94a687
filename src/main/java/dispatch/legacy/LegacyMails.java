package dispatch.legacy;

import dispatch.mail.Direction;
import dispatch.mail.MailOrigin;
import dispatch.mail.MatchMethod;
import dispatch.mail.MessageIds;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * E-mails with their ids, recipients, references and attachments, one chunk at a time (docs/legacy-import.md
 * "Mails"). A mail whose id or Message-ID is already in the target is not imported (nor its parts) and is reported.
 */
final class LegacyMails {

    /** The old service kept no raw message: imported mails point at the hash of no bytes, with size 0. */
    static final String NO_RAW = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static final String ACCOUNT = "legacy-import";

    private static final String SELECT = """
            select m.id, m.email_msg_id, m.email_msg_reply_id, m.email_subject, m.email_from, m.email_date,
                   m.email_body, m.is_email_from_yandex_tracker, m.email_incident_id, f.name as folder
              from emails_emailmessage m left join emails_emailfolder f on f.id = m.folder_id
             where m.id > ? order by m.id limit ?
            """;

    private static final String INSERT = """
            insert into email_message (id, message_id, folder_id, uid, direction, origin, subject, from_address,
                sent_at, received_at, stored_at, in_reply_to, body_text, raw_sha256, raw_size, notes, incident_id,
                match_method)
            overriding system value
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'imported from the old service',
                (select id from incident where id = ? and imported_at is not null), ?)
            on conflict do nothing
            """;

    private final JdbcTemplate source;
    private final JdbcTemplate target;
    private final ImportReport report;
    private final LegacyAttachments attachments;
    private final Map<String, Long> folders = new HashMap<>();

    LegacyMails(JdbcTemplate source, JdbcTemplate target, ImportReport report, LegacyAttachments attachments) {
        this.source = source;
        this.target = target;
        this.report = report;
        this.attachments = attachments;
    }

    /** Imports the mails after {@code after} (at most {@code size}); returns the last id read, or -1 if none. */
    long chunk(long after, int size) {
        List<Object[]> rows = source.query(SELECT, this::row, after, size);
        if (rows.isEmpty()) return -1;
        int[] inserted = target.batchUpdate(INSERT, rows);
        List<Long> imported = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            long id = (Long) rows.get(i)[0];
            if (inserted[i] == 1) {
                imported.add(id);
            } else {
                report.unmapped("mail id or Message-ID already in the target: not imported", "" + id);
            }
        }
        report.count("mails read", rows.size());
        report.count("mails imported", imported.size());
        if (!imported.isEmpty()) {
            Set<Long> wanted = new HashSet<>(imported);
            long first = imported.get(0);
            long last = imported.get(imported.size() - 1);
            recipients(wanted, first, last);
            references(wanted, first, last);
            attachments.chunk(wanted, first, last);
        }
        return (Long) rows.get(rows.size() - 1)[0];
    }

    private Object[] row(ResultSet rs, int n) throws SQLException {
        long id = rs.getLong("id");
        String folder = rs.getString("folder") == null ? "INBOX" : rs.getString("folder");
        boolean sent = isSent(folder);
        Long incident = rs.getObject("email_incident_id", Long.class);
        String replyTo = rs.getString("email_msg_reply_id");
        boolean fromTracker = rs.getBoolean("is_email_from_yandex_tracker");
        return new Object[] {
            id,
            messageId(rs.getString("email_msg_id")),
            folder(folder, sent),
            id,
            (sent ? Direction.OUTBOUND : Direction.INBOUND).name(),
            (fromTracker ? MailOrigin.TRACKER : sent ? MailOrigin.SELF : MailOrigin.EXTERNAL).name(),
            rs.getString("email_subject"),
            rs.getString("email_from"),
            rs.getTimestamp("email_date"),
            rs.getTimestamp("email_date"),
            rs.getTimestamp("email_date"),
            MessageIds.first(replyTo),
            rs.getString("email_body"),
            NO_RAW,
            incident,
            (incident == null ? MatchMethod.IMPORTED_UNLINKED : MatchMethod.IMPORTED).name()
        };
    }

    /**
     * The old service kept Message-IDs as written, angle brackets included; Dispatch stores them without. Stored its
     * way, the first read of the mailbox finds each imported mail already stored (no second incident, no auto-reply)
     * and a reply to an old thread finds its incident. An id that is not a msg-id at all is kept as it was.
     */
    private static String messageId(String old) {
        String id = MessageIds.first(old);
        return id != null ? id : old;
    }

    private static boolean isSent(String folder) {
        String name = folder.toUpperCase(Locale.ROOT);
        return name.contains("SENT") || name.contains("ОТПРАВЛ");
    }

    private long folder(String name, boolean sent) {
        return folders.computeIfAbsent(name, n -> {
            target.update("""
                    insert into mail_folder (account, name, role) values (?, ?, ?)
                    on conflict (account, name) do nothing
                    """, ACCOUNT, n, sent ? "SENT" : "INBOX");
            return target.queryForObject(
                    "select id from mail_folder where account = ? and name = ?", Long.class, ACCOUNT, n);
        });
    }

    private void recipients(Set<Long> wanted, long first, long last) {
        List<Object[]> rows = new ArrayList<>();
        for (String[] kind : new String[][] {{"emails_emailto", "TO"}, {"emails_emailtocc", "CC"}}) {
            Map<Long, Integer> positions = new HashMap<>();
            source.query(
                    "select email_msg_id, email_to from " + kind[0]
                            + " where email_msg_id between ? and ? order by email_msg_id, id",
                    rs -> {
                        long mail = rs.getLong(1);
                        if (!wanted.contains(mail)) return;
                        int position = positions.merge(mail, 1, Integer::sum) - 1;
                        rows.add(new Object[] {mail, kind[1], position, rs.getString(2)});
                    },
                    first,
                    last);
        }
        target.batchUpdate(
                "insert into email_recipient (email_message_id, kind, position, address) values (?, ?, ?, ?)", rows);
        report.count("mail recipients", rows.size());
    }

    private void references(Set<Long> wanted, long first, long last) {
        List<Object[]> rows = new ArrayList<>();
        Map<Long, Integer> positions = new HashMap<>();
        source.query(
                """
                select email_msg_id, email_msg_references from emails_emailreference
                 where email_msg_id between ? and ? order by email_msg_id, id
                """,
                rs -> {
                    long mail = rs.getLong(1);
                    if (!wanted.contains(mail)) return;
                    String referenced = MessageIds.first(rs.getString(2));
                    if (referenced == null) return;
                    int position = positions.merge(mail, 1, Integer::sum) - 1;
                    rows.add(new Object[] {mail, position, referenced});
                },
                first,
                last);
        target.batchUpdate("""
                insert into email_reference (email_message_id, position, referenced_message_id) values (?, ?, ?)
                """, rows);
        report.count("mail references", rows.size());
    }
}
