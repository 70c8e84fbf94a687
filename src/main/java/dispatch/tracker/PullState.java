package dispatch.tracker;

import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The pull's progress in {@code sync_state}, shared by instances and kept across restarts. */
@Repository
class PullState {

    static final String WATERMARK = "tracker.pull.watermark";
    static final String LAST_FULL_SWEEP = "tracker.pull.last-full-sweep";
    static final String FIRST_PULL = "tracker.pull.first";

    private final JdbcClient jdbc;

    PullState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Every issue change before this instant has been reconciled (as far as Tracker's search showed it). */
    Optional<Instant> watermark() {
        return read(WATERMARK);
    }

    void watermark(Instant at) {
        write(WATERMARK, at);
    }

    Optional<Instant> lastFullSweep() {
        return read(LAST_FULL_SWEEP);
    }

    void lastFullSweep(Instant at) {
        write(LAST_FULL_SWEEP, at);
    }

    /**
     * When this installation first pulled from Tracker: recorded once ({@code now} at the first call), read ever
     * after. Open issues created before it with an unknown database id are adopted (decision 0021).
     */
    Instant firstPull(Instant now) {
        jdbc.sql("""
                        insert into sync_state (key, value) values (:key, to_jsonb(cast(:value as text)))
                        on conflict (key) do nothing
                        """).param("key", FIRST_PULL).param("value", now.toString()).update();
        return read(FIRST_PULL).orElseThrow();
    }

    private Optional<Instant> read(String key) {
        return jdbc.sql("select value #>> '{}' from sync_state where key = :key")
                .param("key", key)
                .query(String.class)
                .optional()
                .map(Instant::parse);
    }

    private void write(String key, Instant at) {
        jdbc.sql("""
                        insert into sync_state (key, value) values (:key, to_jsonb(cast(:value as text)))
                        on conflict (key) do update set value = excluded.value, updated_at = now()
                        """).param("key", key).param("value", at.toString()).update();
    }
}
