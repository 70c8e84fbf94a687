package dispatch.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The outbox for people (the admin API and the status page): its deliveries, how deep it is, and the two things an
 * admin does with a delivery that failed: retry it, or skip it with a reason.
 */
@Component
public class OutboxDeliveries {

    private static final Logger log = LoggerFactory.getLogger(OutboxDeliveries.class);

    /** A delivery as an admin sees it. */
    public record Delivery(
            long id,
            String kind,
            String dedupKey,
            String status,
            int attempts,
            Instant nextAt,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable String skippedBy,
            @Nullable String skipReason) {}

    private final JdbcClient jdbc;
    private final OutboxWorker worker;

    OutboxDeliveries(JdbcClient jdbc, OutboxWorker worker) {
        this.jdbc = jdbc;
        this.worker = worker;
    }

    /** Deliveries that are not done yet (or of the given status), oldest first, at most {@code limit}. */
    public List<Delivery> list(@Nullable String status, int limit) {
        return jdbc.sql("""
                        select id, kind, dedup_key, status, attempts, next_at, last_error, created_at, skipped_by,
                               skip_reason from outbox
                         where (cast(:status as varchar) is null and status <> 'DONE') or status = :status
                         order by id limit :limit
                        """)
                .param("status", status == null ? null : status.toUpperCase(Locale.ROOT))
                .param("limit", limit)
                .query(OutboxDeliveries::delivery)
                .list();
    }

    /** Deliveries due now, and how long the oldest of them has waited. */
    public StageState due() {
        return jdbc.sql("select count(*), min(next_at) from outbox where status = 'PENDING' and next_at <= now()")
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp(2);
                    return new StageState(
                            rs.getLong(1), oldest == null ? null : oldest.toInstant(), worker.lastProgress());
                })
                .single();
    }

    /** When a delivery of each kind last went through, by kind (the last good cycle of Tracker, SMTP, Telegram). */
    public Map<String, Instant> lastDoneByKind() {
        Map<String, Instant> last = new LinkedHashMap<>();
        jdbc.sql("select kind, max(done_at) from outbox where status = 'DONE' group by kind order by kind")
                .query(rs -> {
                    Timestamp at = rs.getTimestamp(2);
                    if (at != null) last.put(rs.getString(1), at.toInstant());
                });
        return last;
    }

    /**
     * Tries a failed or waiting delivery again now, with a fresh count of attempts.
     *
     * @throws NoSuchElementException when there is no such delivery that is not done
     */
    public void retry(long id) {
        // attempts stays at 1, not 0: the handler must still check whether an earlier attempt took effect
        int updated = jdbc.sql("""
                        update outbox set status = 'PENDING', attempts = least(attempts, 1), next_at = now()
                         where id = :id and status <> 'DONE'
                        """).param("id", id).update();
        if (updated == 0) throw new NoSuchElementException("no failed or waiting delivery " + id);
        log.info("Outbox delivery {} retried", id);
        worker.wake();
    }

    /**
     * Gives up a delivery that failed for good: it is marked SKIPPED with who and why, and the deliveries after it of
     * the same incident go on.
     *
     * @throws IllegalArgumentException without a reason
     * @throws NoSuchElementException when there is no such failed delivery
     */
    public void skip(long id, String who, @Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason: say why this delivery is given up");
        }
        int updated = jdbc.sql("""
                        update outbox set status = 'SKIPPED', skipped_by = :who, skip_reason = :reason,
                               done_at = now()
                         where id = :id and status = 'FAILED'
                        """)
                .param("who", who)
                .param("reason", reason.strip())
                .param("id", id)
                .update();
        if (updated == 0) throw new NoSuchElementException("no failed delivery " + id);
        log.warn("Outbox delivery {} skipped by {}: {}", id, who, reason.strip());
        worker.wake();
    }

    private static Delivery delivery(ResultSet rs, int n) throws SQLException {
        return new Delivery(
                rs.getLong("id"),
                rs.getString("kind"),
                rs.getString("dedup_key"),
                rs.getString("status"),
                rs.getInt("attempts"),
                rs.getTimestamp("next_at").toInstant(),
                rs.getString("last_error"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getString("skipped_by"),
                rs.getString("skip_reason"));
    }
}
