package dispatch.platform;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outbox rows as the worker sees them: claims due messages with a lease ({@code FOR UPDATE SKIP LOCKED}, so
 * instances share the work; never two of one ordering key at a time nor one before an older unfinished one), and
 * records each outcome. Claiming counts the attempt and moves {@code next_at} to the end of the lease, so a message
 * whose worker died is due again when the lease runs out.
 */
final class OutboxLeases {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Duration lease;

    OutboxLeases(JdbcClient jdbc, JsonMapper json, Duration lease) {
        this.jdbc = jdbc;
        this.json = json;
        this.lease = lease;
    }

    /** Up to {@code limit} due messages, oldest first, leaving out the ones in {@code excluded}. */
    List<OutboxMessage<JsonNode>> claim(int limit, Collection<Long> excluded) {
        return jdbc.sql("""
                        update outbox o set next_at = now() + cast(:lease as interval), attempts = o.attempts + 1
                         where o.id in (
                               select c.id from outbox c
                                where c.status = 'PENDING' and c.next_at <= now()
                                  and c.id <> all(cast(:excluded as bigint[]))
                                  and not exists (select 1 from outbox e
                                                   where e.ordering_key = c.ordering_key
                                                     and e.status in ('PENDING', 'FAILED') and e.id < c.id)
                                order by c.id
                                limit :limit
                                for update skip locked)
                        returning o.id, o.kind, o.dedup_key, o.ordering_key, o.payload::text, o.attempts
                        """)
                .param("lease", interval(lease))
                .param("limit", limit)
                .param("excluded", excluded.toArray(Long[]::new))
                .query(this::message)
                .list();
    }

    void done(long id) {
        jdbc.sql("update outbox set status = 'DONE', done_at = now(), last_error = null where id = :id")
                .param("id", id)
                .update();
    }

    /** Due again after {@code wait}; with {@code counted} false the attempt is taken back (it did nothing). */
    void later(long id, Duration wait, boolean counted, String error) {
        jdbc.sql("""
                        update outbox set next_at = now() + cast(:wait as interval),
                               attempts = attempts - :uncounted, last_error = :error
                         where id = :id
                        """)
                .param("wait", interval(wait))
                .param("uncounted", counted ? 0 : 1)
                .param("error", error)
                .param("id", id)
                .update();
    }

    /** Out of attempts: waits for a person (and holds back the later messages of its ordering key). */
    void failed(long id, String error) {
        jdbc.sql("update outbox set status = 'FAILED', last_error = :error where id = :id")
                .param("error", error)
                .param("id", id)
                .update();
    }

    long count(String status) {
        return jdbc.sql("select count(*) from outbox where status = :status")
                .param("status", status)
                .query(Long.class)
                .single();
    }

    private static String interval(Duration duration) {
        return duration.toMillis() + " milliseconds";
    }

    private OutboxMessage<JsonNode> message(ResultSet rs, int n) throws SQLException {
        return new OutboxMessage<>(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                json.readTree(rs.getString(5)),
                rs.getInt(6));
    }
}
