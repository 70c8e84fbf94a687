package dispatch.platform;

import org.jspecify.annotations.Nullable;

/**
 * An outbox message ran out of attempts and is marked FAILED: a person must look at it (published after the
 * status change is committed). The payload lets the feature that enqueued it tell its users what did not happen.
 *
 * @param payload the message's payload; null when it could not be read (no handler for its kind, or unreadable JSON)
 */
public record OutboxDeliveryFailed(
        long id, String kind, String dedupKey, @Nullable OutboxPayload payload, int attempts, String lastError) {}
