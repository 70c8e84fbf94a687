package dispatch.platform;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Small values kept across restarts and shared by instances ({@code sync_state}, owned by this feature): each
 * feature keeps its own keys, named after the feature ({@code tracker.pull.watermark}). Writes join the caller's
 * transaction.
 */
@Component
public class SyncState {

    private final JdbcClient jdbc;

    public SyncState(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The value as JSON text. */
    public Optional<String> json(String key) {
        return jdbc.sql("select value::text from sync_state where key = :key")
                .param("key", key)
                .query(String.class)
                .optional();
    }

    /** Stores a JSON value, replacing the one there. */
    public void putJson(String key, String json) {
        jdbc.sql("""
                        insert into sync_state (key, value, updated_at) values (:key, cast(:value as jsonb), now())
                        on conflict (key) do update set value = excluded.value, updated_at = now()
                        """).param("key", key).param("value", json).update();
    }

    /** A value stored with {@link #putText}. */
    public Optional<String> text(String key) {
        return jdbc.sql("select value #>> '{}' from sync_state where key = :key")
                .param("key", key)
                .query(String.class)
                .optional();
    }

    /** Stores a text value (as a JSON string), replacing the one there. */
    public void putText(String key, String text) {
        jdbc.sql("""
                        insert into sync_state (key, value, updated_at) values (:key, to_jsonb(cast(:value as text)), now())
                        on conflict (key) do update set value = excluded.value, updated_at = now()
                        """).param("key", key).param("value", text).update();
    }
}
