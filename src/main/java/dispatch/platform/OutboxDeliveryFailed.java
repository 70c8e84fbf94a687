package dispatch.platform;

import tools.jackson.databind.JsonNode;

/**
 * An outbox message ran out of attempts and is marked FAILED: a person must look at it (published after the
 * status change is committed). The payload lets the feature that enqueued it tell its users what did not happen.
 */
public record OutboxDeliveryFailed(
        long id, String kind, String dedupKey, JsonNode payload, int attempts, String lastError) {}
