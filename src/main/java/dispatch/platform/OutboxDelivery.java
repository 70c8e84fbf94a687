package dispatch.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries out one claimed message: runs its handler and records the outcome — done, later (the handler asked to wait),
 * retry after {@link OutboxBackoff}, or failed for good (reported with {@link OutboxDeliveryFailed}).
 */
final class OutboxDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboxDelivery.class);

    private final OutboxLeases leases;
    private final OutboxBackoff backoff;
    private final int maxAttempts;
    private final JsonMapper json;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<OutboxHandler<?>> handlerBeans;
    private volatile @Nullable Map<String, OutboxHandler<?>> handlers;
    private final MeterRegistry meters;
    private final AtomicReference<Instant> progress = new AtomicReference<>(Instant.now());

    OutboxDelivery(
            OutboxLeases leases,
            OutboxProperties settings,
            JsonMapper json,
            ApplicationEventPublisher events,
            ObjectProvider<OutboxHandler<?>> handlerBeans,
            MeterRegistry meters) {
        this.leases = leases;
        this.backoff = OutboxBackoff.of(settings);
        this.maxAttempts = settings.maxAttempts();
        this.json = json;
        this.events = events;
        this.handlerBeans = handlerBeans;
        this.meters = meters;
    }

    /** Returns true when the message is finished (done, or failed for good), false when it waits for another try. */
    boolean deliver(OutboxMessage<JsonNode> message) {
        OutboxHandler<?> handler = handlers().get(message.kind());
        try {
            if (handler == null) {
                throw new IllegalStateException("no handler for outbox kind " + message.kind());
            }
            handle(handler, message);
            leases.done(message.id());
            outcome(message, "done");
            return true;
        } catch (RetryLater e) {
            leases.later(message.id(), e.waitFor(), e.attempted(), e.getMessage());
            outcome(message, "later");
            return false;
        } catch (Exception e) {
            return failed(message, e);
        }
    }

    /** When a delivery last finished, whatever the outcome (for the stall check). */
    Instant lastProgress() {
        return progress.get();
    }

    private <P extends OutboxPayload> void handle(OutboxHandler<P> handler, OutboxMessage<JsonNode> message)
            throws Exception {
        handler.handle(message.with(json.treeToValue(message.payload(), handler.payloadType())));
    }

    private boolean failed(OutboxMessage<JsonNode> message, Exception e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.attempt() >= maxAttempts) {
            leases.failed(message.id(), error);
            outcome(message, "failed");
            log.error(
                    "Outbox {} {} failed for good after {} attempts: {}",
                    message.kind(),
                    message.dedupKey(),
                    message.attempt(),
                    error);
            events.publishEvent(new OutboxDeliveryFailed(
                    message.id(), message.kind(), message.dedupKey(), payload(message), message.attempt(), error));
            return true;
        }
        Duration wait = backoff.after(message.attempt());
        leases.later(message.id(), wait, true, error);
        outcome(message, "retry");
        log.warn(
                "Outbox {} {} attempt {} failed, next in {}: {}",
                message.kind(),
                message.dedupKey(),
                message.attempt(),
                wait,
                error);
        return false;
    }

    /** The payload as its handler reads it, for the failure event; null when that is not possible. */
    private @Nullable OutboxPayload payload(OutboxMessage<JsonNode> message) {
        OutboxHandler<?> handler = handlers().get(message.kind());
        try {
            return handler == null ? null : json.treeToValue(message.payload(), handler.payloadType());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Resolved on first use: handlers may themselves enqueue, i.e. depend on {@link Outbox}, which wakes the worker. */
    private Map<String, OutboxHandler<?>> handlers() {
        Map<String, OutboxHandler<?>> resolved = handlers;
        if (resolved == null) {
            resolved = handlerBeans.stream().collect(Collectors.toMap(h -> h.kind(), Function.identity()));
            handlers = resolved;
        }
        return resolved;
    }

    private void outcome(OutboxMessage<?> message, String outcome) {
        progress.set(Instant.now());
        Counter.builder("dispatch.outbox.deliveries")
                .tag("kind", message.kind())
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
