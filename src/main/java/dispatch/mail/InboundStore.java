package dispatch.mail;

import dispatch.platform.StageState;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Repository;

/**
 * Rows of {@code mail_inbound}: mail the IMAP read has committed and the parse stage has not stored yet (decision
 * 0016). A row is unique per folder, UIDVALIDITY and UID, so a batch read twice stages each message once.
 */
@Repository
class InboundStore {

    /** A staged message and where its {@code size} bytes are. */
    record Staged(long id, FolderRef folder, long uid, Instant internalDate, Held bytes, long size) {}

    /** Where a staged message's bytes are kept until it is stored. */
    sealed interface Held {
        /** In a batch's file of {@link InboundSpool}, from {@code offset}. */
        record Spooled(String file, long offset) implements Held {}

        /** Compressed in the raw store (messages too large to hold in the heap, streamed there by the read). */
        record RawCopy(String sha256) implements Held {}

        /** In the row itself (rows staged before the spool files, V92). */
        record InRow(byte[] raw) implements Held {}
    }

    private final JdbcClient jdbc;

    private final DataSource dataSource;

    InboundStore(JdbcClient jdbc, DataSource dataSource) {
        this.jdbc = jdbc;
        this.dataSource = dataSource;
    }

    /**
     * Stages a batch with one binary {@code COPY}, in the caller's transaction; the rows name their bytes, which are
     * on disk already (decision 0016, update). A UID staged before makes it fail (the unique key), so the caller
     * passes only UIDs above the checkpoint it holds locked.
     */
    void copy(List<Staged> rows) {
        if (rows.isEmpty()) return;
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            InboundCopy.write(
                    rows,
                    new PGCopyOutputStream(
                            pg,
                            "copy mail_inbound " + InboundCopy.COLUMNS + " from stdin with (format binary)",
                            1 << 16));
        } catch (SQLException | IOException e) {
            throw new DataAccessResourceFailureException("COPY into mail_inbound failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /**
     * Lets the calling transaction commit without waiting for its WAL to reach the disk (a wait of about 2 ms a batch
     * here). Safe for a staged batch that quarantines nothing: its bytes are on disk already, the folder's checkpoint
     * commits in the same transaction as its rows, and the messages are still on the IMAP server, so a database crash
     * that loses the commit loses both, and the batch is read again. Whatever follows from a staged row (the parse
     * stage's commit) waits for the disk, which takes this transaction's WAL with it (decision 0016).
     */
    void commitWithoutWaitingForDisk() {
        jdbc.sql("set local synchronous_commit = off").update();
    }

    /**
     * Locks up to {@code limit} staged messages, oldest first, for the calling transaction; rows another transaction
     * holds are skipped, so parsers (of this or another instance) never take the same message at once.
     */
    List<Staged> claim(int limit) {
        return jdbc.sql("""
                        select i.id, f.account, f.role, i.folder_id, i.uidvalidity, i.uid, i.internal_date, i.raw,
                               i.raw_sha256, i.raw_size, i.spool, i.spool_offset
                        from mail_inbound i join mail_folder f on f.id = i.folder_id
                        order by i.id limit :limit
                        for update of i skip locked
                        """).param("limit", limit).query(InboundStore::row).list();
    }

    /** Of these batch files, those no staged row names any more (their messages are all stored). */
    List<String> unnamed(Collection<String> files) {
        if (files.isEmpty()) return List.of();
        return jdbc.sql("""
                        select f from unnest(cast(:files as text[])) f
                         where not exists (select 1 from mail_inbound i where i.spool = f)
                        """)
                .param("files", files.toArray(String[]::new))
                .query(String.class)
                .list();
    }

    /** Every batch file a staged row names. */
    Set<String> named() {
        return new HashSet<>(jdbc.sql("select distinct spool from mail_inbound where spool is not null")
                .query(String.class)
                .list());
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
        String spool = rs.getString(11);
        Held bytes = spool != null
                ? new Held.Spooled(spool, rs.getLong(12))
                : rs.getString(9) != null ? new Held.RawCopy(rs.getString(9)) : new Held.InRow(rs.getBytes(8));
        return new Staged(
                rs.getLong(1), folder, rs.getLong(6), rs.getTimestamp(7).toInstant(), bytes, rs.getLong(10));
    }
}
