package dispatch.mail;

import dispatch.platform.StageState;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Rows of {@code mail_inbound}: mail the IMAP read has committed and the parse stage has not stored yet (decision
 * 0016). A row is unique per folder, UIDVALIDITY and UID, so a batch read twice stages each message once.
 */
@Repository
class InboundStore {

    /** A staged message: its bytes (small ones) or the hash of its raw copy (large ones). */
    record Staged(long id, FolderRef folder, long uid, Instant internalDate, byte[] raw, String rawSha256, long size) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;

    InboundStore(JdbcClient jdbc, JdbcTemplate batches) {
        this.jdbc = jdbc;
        this.batches = batches;
    }

    /** Stages a batch (one JDBC batch); a UID staged before is skipped. */
    void insert(List<Staged> rows) {
        if (rows.isEmpty()) return;
        batches.batchUpdate(
                """
                insert into mail_inbound (folder_id, uidvalidity, uid, internal_date, raw, raw_sha256, raw_size)
                values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing
                """,
                rows.stream()
                        .map(r -> new Object[] {
                            r.folder().id(),
                            r.folder().uidValidity(),
                            r.uid(),
                            Timestamp.from(r.internalDate()),
                            r.raw(),
                            r.rawSha256(),
                            r.size()
                        })
                        .toList(),
                new int[] {
                    Types.BIGINT, Types.BIGINT, Types.BIGINT, Types.TIMESTAMP, Types.BINARY, Types.VARCHAR, Types.BIGINT
                });
    }

    /**
     * Locks up to {@code limit} staged messages, oldest first, for the calling transaction; rows another transaction
     * holds are skipped, so parsers (of this or another instance) never take the same message at once.
     */
    List<Staged> claim(int limit) {
        return jdbc.sql("""
                        select i.id, f.account, f.role, i.folder_id, i.uidvalidity, i.uid, i.internal_date, i.raw,
                               i.raw_sha256, i.raw_size
                        from mail_inbound i join mail_folder f on f.id = i.folder_id
                        order by i.id limit :limit
                        for update of i skip locked
                        """).param("limit", limit).query(InboundStore::row).list();
    }

    void delete(List<Staged> rows) {
        jdbc.sql("delete from mail_inbound where id = any(:ids)")
                .param("ids", rows.stream().mapToLong(Staged::id).boxed().toArray(Long[]::new))
                .update();
    }

    /** How many staged messages wait and since when the oldest does. */
    StageState waiting(Instant lastProgress) {
        return jdbc.sql("select count(*), min(created_at) from mail_inbound")
                .query((rs, i) -> {
                    Timestamp oldest = rs.getTimestamp(2);
                    long count = rs.getLong(1);
                    return count == 0
                            ? StageState.idle(lastProgress)
                            : new StageState(count, oldest.toInstant(), lastProgress);
                })
                .single();
    }

    private static Staged row(ResultSet rs, int i) throws SQLException {
        FolderRef folder =
                new FolderRef(rs.getString(2), FolderRole.valueOf(rs.getString(3)), rs.getLong(4), rs.getLong(5));
        return new Staged(
                rs.getLong(1),
                folder,
                rs.getLong(6),
                rs.getTimestamp(7).toInstant(),
                rs.getBytes(8),
                rs.getString(9),
                rs.getLong(10));
    }
}
