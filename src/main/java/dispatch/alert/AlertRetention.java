package dispatch.alert;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Removes alert history: notices sent and alerts resolved before a cutoff (decision 0030). Open alerts stay. */
@Service
public class AlertRetention {

    /** What one purge removed. */
    public record Removed(long notices, long alerts) {}

    private static final int BATCH = 1000;

    private final JdbcClient jdbc;

    AlertRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Deletes, 1,000 rows per statement, the notices sent and the alerts resolved before {@code cutoff}. A resolved
     * alert goes with its remaining notices, however recent (they tell of an alert that is gone).
     */
    public Removed purgeBefore(Instant cutoff) {
        long notices = deleteAll(
                "delete from alert_notice where id in"
                        + " (select id from alert_notice where sent_at < :cutoff order by id limit :limit)",
                cutoff);
        long alerts = deleteAll(
                "delete from alert where id in"
                        + " (select id from alert where resolved_at < :cutoff order by id limit :limit)",
                cutoff);
        return new Removed(notices, alerts);
    }

    private long deleteAll(String sql, Instant cutoff) {
        long deleted = 0;
        for (int n; (n = deleteBatch(sql, cutoff)) > 0; ) {
            deleted += n;
        }
        return deleted;
    }

    private int deleteBatch(String sql, Instant cutoff) {
        return jdbc.sql(sql)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", BATCH)
                .update();
    }
}
