package dispatch.tracker;

import dispatch.platform.OutboxHandler;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import dispatch.platform.RetryLater;

/**
 * An outbox handler that calls Tracker. When Tracker asked for a pause the client would not sit out (a long
 * {@code Retry-After}, or the circuit is open), the message is put back for that long without spending an attempt.
 */
abstract class TrackerWork<P extends OutboxPayload> implements OutboxHandler<P> {

    @Override
    public final void handle(OutboxMessage<P> message) {
        try {
            deliver(message);
        } catch (TrackerException e) {
            if (e.retryAfter().isPresent()) {
                throw new RetryLater(e.getMessage(), e.retryAfter().get());
            }
            throw e;
        }
    }

    abstract void deliver(OutboxMessage<P> message);
}
