package dispatch.platform;

/**
 * Carries out the outbox messages of one kind. It must be idempotent: a message is delivered at least once, and a
 * handler makes the effect happen once (an idempotency key, or a check of what an earlier attempt did). Returning
 * normally marks the message done; {@link RetryLater} reschedules it without counting a failure; any other exception
 * is a failed attempt, retried with backoff.
 */
public interface OutboxHandler {

    String kind();

    void handle(OutboxMessage message) throws Exception;
}
