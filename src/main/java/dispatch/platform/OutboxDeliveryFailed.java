package dispatch.platform;

/**
 * An outbox message ran out of attempts and is marked FAILED: a person must look at it (published after the
 * status change is committed).
 */
public record OutboxDeliveryFailed(long id, String kind, String dedupKey, int attempts, String lastError) {}
