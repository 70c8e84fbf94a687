package dispatch.platform;

import tools.jackson.databind.JsonNode;

/**
 * A side effect waiting to be carried out.
 *
 * @param attempt 1 on the first try; a handler seeing more than 1 must expect that an earlier try may have taken
 *     effect without its result being recorded (crash, lost answer)
 */
public record OutboxMessage(long id, String kind, String dedupKey, String orderingKey, JsonNode payload, int attempt) {}
