package dispatch.mail;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rows of {@code mail_quarantine}: messages that could not be stored, keyed by folder, UIDVALIDITY and UID. */
@Repository
class QuarantineStore {

    private final JdbcClient jdbc;

    QuarantineStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void quarantine(long folderId, long uidValidity, long uid, String rawSha256, Long rawSize, String reason) {
        jdbc.sql("""
                        insert into mail_quarantine (folder_id, uidvalidity, uid, raw_sha256, raw_size, reason)
                        values (:folderId, :v, :uid, :sha, :size, :reason)
                        on conflict (folder_id, uidvalidity, uid) do update set reason = excluded.reason
                        """)
                .param("folderId", folderId)
                .param("v", uidValidity)
                .param("uid", uid)
                .param("sha", rawSha256)
                .param("size", rawSize)
                .param("reason", SafeText.truncate(SafeText.clean(reason), 4000))
                .update();
    }

    /** A quarantined message as the admin endpoint shows it. */
    record Quarantined(
            long id,
            String account,
            String folder,
            String role,
            long uidValidity,
            long uid,
            String rawSha256,
            Long rawSize,
            String reason,
            Instant createdAt,
            Instant replayedAt) {}

    List<Quarantined> quarantined(boolean includeReplayed) {
        return jdbc.sql(QUARANTINE_SELECT + (includeReplayed ? "" : " where q.replayed_at is null") + " order by q.id")
                .query(QuarantineStore::quarantinedRow)
                .list();
    }

    Optional<Quarantined> quarantinedById(long id) {
        return jdbc.sql(QUARANTINE_SELECT + " where q.id = :id")
                .param("id", id)
                .query(QuarantineStore::quarantinedRow)
                .optional();
    }

    void markReplayed(long quarantineId) {
        jdbc.sql("update mail_quarantine set replayed_at = now() where id = :id")
                .param("id", quarantineId)
                .update();
    }

    private static final String QUARANTINE_SELECT = """
            select q.id, f.account, f.name, f.role, q.uidvalidity, q.uid, q.raw_sha256, q.raw_size, q.reason,
                   q.created_at, q.replayed_at
            from mail_quarantine q join mail_folder f on f.id = q.folder_id
            """;

    private static Quarantined quarantinedRow(ResultSet rs, int row) throws SQLException {
        Timestamp replayed = rs.getTimestamp(11);
        return new Quarantined(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getLong(6),
                rs.getString(7),
                (Long) rs.getObject(8),
                rs.getString(9),
                rs.getTimestamp(10).toInstant(),
                replayed == null ? null : replayed.toInstant());
    }

    /** Quarantined messages not replayed yet: they wait for a person. */
    long waiting() {
        return jdbc.sql("select count(*) from mail_quarantine where replayed_at is null")
                .query(Long.class)
                .single();
    }
}
