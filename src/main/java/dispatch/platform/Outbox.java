package dispatch.platform;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.json.JsonMapper;

/**
 * The transactional outbox: a side effect is recorded in the same transaction as the data that causes it, and carried
 * out afterwards by the {@link OutboxWorker}, at least once, in order per ordering key.
 */
@Service
public class Outbox {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final OutboxWorker worker;

    Outbox(JdbcClient jdbc, JsonMapper json, OutboxWorker worker) {
        this.jdbc = jdbc;
        this.json = json;
        this.worker = worker;
    }

    /**
     * Records a side effect in the caller's transaction, of the kind its payload type names. A second message with
     * the same dedup key is ignored.
     *
     * @param orderingKey messages with the same key are carried out one at a time, oldest first (e.g.
     *     {@code incident:42})
     * @return false when a message with this dedup key already exists
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public boolean enqueue(String dedupKey, String orderingKey, OutboxPayload payload) {
        boolean added = jdbc.sql("""
                                insert into outbox (kind, dedup_key, ordering_key, payload)
                                values (:kind, :dedup, :ordering, cast(:payload as jsonb))
                                on conflict (dedup_key) do nothing
                                """)
                        .param("kind", OutboxPayload.kindOf(payload.getClass()))
                        .param("dedup", dedupKey)
                        .param("ordering", orderingKey)
                        .param("payload", json.writeValueAsString(payload))
                        .update()
                == 1;
        if (added) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    worker.wake();
                }
            });
        }
        return added;
    }
}
