package dispatch.platform;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Thins deliveries done long ago: the payload (which can hold a whole mail) goes, the row and its dedup key stay, so
 * a command or auto-reply enqueued again with the same key is still refused (decision 0030). Skipped deliveries keep
 * their payload, as an admin may still retry them.
 */
@Service
public class OutboxRetention {

    private static final int BATCH = 1000;

    private final JdbcClient jdbc;

    OutboxRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Empties the payloads of deliveries done before {@code cutoff}, 1,000 rows per statement; returns how many. */
    public long thinDoneBefore(Instant cutoff) {
        long thinned = 0;
        for (int n; (n = thinBatch(cutoff)) > 0; ) {
            thinned += n;
        }
        return thinned;
    }

    private int thinBatch(Instant cutoff) {
        return jdbc.sql("""
                        update outbox set payload = '{}', last_error = null, thinned_at = now()
                         where id in (select id from outbox
                                       where status = 'DONE' and thinned_at is null and done_at < :cutoff
                                       order by done_at limit :limit
                                       for update skip locked)
                        """)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", BATCH)
                .update();
    }
}
