package dispatch.platform;

/**
 * Carries out the outbox messages of one payload type. It must be idempotent: a message is delivered at least once, and
 * a handler makes the effect happen once (an idempotency key, or a check of what an earlier attempt did). Returning
 * normally marks the message done; {@link RetryLater} reschedules it without counting a failure; any other exception
 * is a failed attempt, retried with backoff.
 */
public interface OutboxHandler<P extends OutboxPayload> {

    /** The payload type this handler reads; its {@link OutboxPayload.Kind} is the kind it handles. */
    Class<P> payloadType();

    void handle(OutboxMessage<P> message) throws Exception;

    default String kind() {
        return OutboxPayload.kindOf(payloadType());
    }
}
