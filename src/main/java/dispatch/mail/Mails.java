package dispatch.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** The stored mail, for the features that thread it and mirror it: read by id or Message-ID, link to incidents. */
@Service
public class Mails {

    private static final String SELECT = """
            select m.id, m.message_id, m.in_reply_to,
                   array(select r.referenced_message_id from email_reference r
                         where r.email_message_id = m.id order by r.position) as refs,
                   m.subject, m.from_address, m.sent_at, m.direction, m.origin, m.auto_kind, m.body_text,
                   m.incident_id, m.match_method
            from email_message m
            """;

    private final JdbcClient jdbc;
    private final FileStore files;
    private final OwnMessageIds ownIds;

    Mails(JdbcClient jdbc, FileStore files, OwnMessageIds ownIds) {
        this.jdbc = jdbc;
        this.files = files;
        this.ownIds = ownIds;
    }

    /** Messages not threaded yet, oldest first (by Date, then arrival), at most {@code limit}. */
    public List<StoredMail> unthreaded(int limit) {
        return jdbc.sql(SELECT + " where m.match_method is null order by m.sent_at, m.id limit :limit")
                .param("limit", limit)
                .query(Mails::row)
                .list();
    }

    public Optional<StoredMail> byId(long id) {
        return jdbc.sql(SELECT + " where m.id = :id")
                .param("id", id)
                .query(Mails::row)
                .optional();
    }

    /** Stored messages that name this Message-ID in their In-Reply-To or References (replies to it). */
    public List<StoredMail> replies(String messageId) {
        return jdbc.sql(SELECT + """
                                 where m.id in (select x.id from email_message x where x.in_reply_to = :id
                                                union
                                                select r.email_message_id from email_reference r
                                                where r.referenced_message_id = :id)
                                 order by m.sent_at, m.id
                                """).param("id", messageId).query(Mails::row).list();
    }

    /** The mails of an incident, oldest first. */
    public List<StoredMail> ofIncident(long incidentId) {
        return jdbc.sql(SELECT + " where m.incident_id = :id order by m.sent_at, m.id")
                .param("id", incidentId)
                .query(Mails::row)
                .list();
    }

    /** Whether this address already wrote to, or was written to about, the incident. */
    public boolean tookPart(long incidentId, String address) {
        return tookPartBefore(incidentId, address, Long.MAX_VALUE);
    }

    /** Whether this address wrote to, or was written to about, the incident in a mail stored before this one. */
    public boolean tookPartBefore(long incidentId, String address, long mailId) {
        return jdbc.sql("""
                        select exists (
                          select 1 from email_message m
                          where m.incident_id = :incident and m.id < :mail and lower(m.from_address) = lower(:address)
                          union all
                          select 1 from email_recipient r join email_message m on m.id = r.email_message_id
                          where m.incident_id = :incident and m.id < :mail and lower(r.address) = lower(:address))
                        """)
                .param("incident", incidentId)
                .param("address", address)
                .param("mail", mailId)
                .query(Boolean.class)
                .single();
    }

    public Recipients recipients(long mailId) {
        List<String[]> rows = jdbc.sql("select kind, address from email_recipient where email_message_id = :id"
                        + " and kind in ('TO', 'CC', 'REPLY_TO') order by kind, position")
                .param("id", mailId)
                .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                .list();
        return new Recipients(of(rows, "TO"), of(rows, "CC"), of(rows, "REPLY_TO"));
    }

    private static List<String> of(List<String[]> rows, String kind) {
        return rows.stream().filter(r -> r[0].equals(kind)).map(r -> r[1]).toList();
    }

    /**
     * The mail's Date header when the server's delivery time replaced it as the mail's time (the Date was too far in
     * the future, docs/sla.md); empty when the mail's time is its own Date.
     */
    public Optional<Instant> declaredSentAt(long mailId) {
        return jdbc.sql("select declared_sent_at from email_message where id = :id and declared_sent_at is not null")
                .param("id", mailId)
                .query((rs, n) -> rs.getTimestamp(1).toInstant())
                .optional();
    }

    /** The hard bounce this stored mail reports, when it is a DSN about mail Dispatch sent. */
    public Optional<HardBounce> hardBounce(long mailId) {
        return jdbc
                .sql(BOUNCES + " where id = :id and auto_kind = 'BOUNCE'")
                .param("id", mailId)
                .query(Mails::bounce)
                .list()
                .stream()
                .filter(this::hard)
                .findFirst();
    }

    /** Which of these addresses (compared in lower case) a hard bounce about our mail named since then. */
    public Set<String> hardBounced(Collection<String> addresses, Instant since) {
        if (addresses.isEmpty()) return Set.of();
        return jdbc
                .sql(BOUNCES + """
                         where auto_kind = 'BOUNCE' and stored_at > :since
                           and lower(bounce_detail ->> 'finalRecipient') = any(cast(:addresses as text[]))
                        """)
                .param("since", Timestamp.from(since))
                .param(
                        "addresses",
                        addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).toArray(String[]::new))
                .query(Mails::bounce)
                .list()
                .stream()
                .filter(this::hard)
                .map(HardBounce::address)
                .collect(Collectors.toSet());
    }

    private static final String BOUNCES = """
            select lower(bounce_detail ->> 'finalRecipient'), bounce_detail ->> 'status',
                   bounce_detail ->> 'originalMessageId'
            from email_message
            """;

    private static HardBounce bounce(ResultSet rs, int i) throws SQLException {
        return new HardBounce(rs.getString(1), rs.getString(2), rs.getString(3));
    }

    /** Permanent, naming a recipient, about a Message-ID we made (a forged DSN cannot name one). */
    private boolean hard(HardBounce bounce) {
        return bounce.address() != null
                && bounce.status() != null
                && bounce.status().startsWith("5.")
                && ownIds.incidentCode(bounce.originalMessageId()).isPresent();
    }

    /** Whether a mail with this Message-ID is stored (from any folder). */
    public boolean isStored(String messageId) {
        return jdbc.sql("select exists (select 1 from email_message where message_id = :id)")
                .param("id", messageId)
                .query(Boolean.class)
                .single();
    }

    /** Attachments first, then inline images, each in the order they appear in the mail. */
    public List<MailAttachment> attachments(long mailId) {
        return jdbc.sql("""
                        select id, file_name, content_type, size, inline,
                               case when file_removed_at is null then sha256 end,
                               coalesce(skipped_reason, 'removed by retention on ' || file_removed_at::date)
                          from email_attachment where email_message_id = :id order by inline, position
                        """)
                .param("id", mailId)
                .query((rs, n) -> {
                    String sha = rs.getString(6);
                    return new MailAttachment(
                            rs.getLong(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getLong(4),
                            rs.getBoolean(5),
                            sha == null ? null : files.attachmentPath(sha),
                            rs.getString(7));
                })
                .list();
    }

    /** Records how a message was threaded and to which incident (null: stored unlinked). */
    public void link(long mailId, Long incidentId, MatchMethod method, String detail) {
        jdbc.sql("update email_message set incident_id = :incident, match_method = :method, match_detail = :detail"
                        + " where id = :id")
                .param("incident", incidentId)
                .param("method", method.name())
                .param("detail", detail)
                .param("id", mailId)
                .update();
    }

    /**
     * Puts mails back into the threading queue (match method and detail cleared) where their match method is still
     * one of {@code from}; returns how many went back.
     */
    public int requeue(Collection<Long> mailIds, Set<MatchMethod> from) {
        if (mailIds.isEmpty()) return 0;
        return jdbc.sql("""
                        update email_message set match_method = null, match_detail = null
                         where id = any(cast(:ids as bigint[])) and match_method = any(cast(:from as text[]))
                        """)
                .param("ids", mailIds.toArray(Long[]::new))
                .param("from", from.stream().map(MatchMethod::name).toArray(String[]::new))
                .update();
    }

    private static StoredMail row(ResultSet rs, int i) throws SQLException {
        Timestamp sent = rs.getTimestamp(7);
        String[] refs = (String[]) rs.getArray(4).getArray();
        return new StoredMail(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                List.copyOf(Arrays.asList(refs)),
                rs.getString(5),
                rs.getString(6),
                sent == null ? null : sent.toInstant(),
                Direction.valueOf(rs.getString(8)) == Direction.OUTBOUND,
                MailOrigin.valueOf(rs.getString(9)),
                AutoKind.valueOf(rs.getString(10)),
                rs.getString(11),
                (Long) rs.getObject(12),
                MatchMethod.of(rs.getString(13)));
    }
}
