package dispatch.platform;

/**
 * A side effect waiting to be carried out.
 *
 * @param attempt 1 on the first try; a handler seeing more than 1 must expect that an earlier try may have taken
 *     effect without its result being recorded (crash, lost answer)
 */
public record OutboxMessage<P>(long id, String kind, String dedupKey, String orderingKey, P payload, int attempt) {

    <Q> OutboxMessage<Q> with(Q newPayload) {
        return new OutboxMessage<>(id, kind, dedupKey, orderingKey, newPayload, attempt);
    }
}
