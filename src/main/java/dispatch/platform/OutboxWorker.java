package dispatch.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Carries out outbox messages: claims due ones with a lease ({@code FOR UPDATE SKIP LOCKED}, so instances share the
 * work), never two of one ordering key at a time nor one before an older unfinished one, runs their handlers outside
 * any transaction, and records the outcome. A crash mid-delivery leaves the lease to run out; the message is then
 * delivered again and the handler's idempotency takes over.
 */
@Component
public class OutboxWorker {

    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final OutboxProperties settings;
    private final ApplicationEventPublisher events;
    private final ObjectProvider<OutboxHandler<?>> handlerBeans;
    private volatile @Nullable Map<String, OutboxHandler<?>> handlers;
    private final boolean background;
    private final MeterRegistry meters;
    private final ExecutorService deliveries;
    private final ExecutorService dispatcher;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile boolean stopping;
    private final AtomicReference<Instant> progress = new AtomicReference<>(Instant.now());
    /** Running here: never claimed again while they run, even when a delivery outlasts its lease. */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();

    OutboxWorker(
            JdbcClient jdbc,
            JsonMapper json,
            OutboxProperties settings,
            ApplicationEventPublisher events,
            ObjectProvider<OutboxHandler<?>> handlerBeans,
            MeterRegistry meters,
            DispatchProperties platform) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        this.events = events;
        this.handlerBeans = handlerBeans;
        this.background = platform.schedulingEnabled();
        this.meters = meters;
        AtomicInteger threads = new AtomicInteger();
        this.deliveries = Executors.newFixedThreadPool(settings.concurrency(), r -> {
            Thread t = new Thread(r, "outbox-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.dispatcher = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "outbox-dispatcher");
            t.setDaemon(true);
            return t;
        });
        Gauge.builder("dispatch.outbox.pending", () -> count("PENDING"))
                .description("Outbox messages waiting to be delivered")
                .register(meters);
        Gauge.builder("dispatch.outbox.failed", () -> count("FAILED"))
                .description("Outbox messages that ran out of attempts and need a person")
                .register(meters);
    }

    /** Asks the background worker to look for due messages now (no-op when background jobs are off). */
    public void wake() {
        if (background && !stopping && drainQueued.compareAndSet(false, true)) {
            dispatcher.execute(() -> {
                drainQueued.set(false);
                try {
                    drain();
                } catch (RuntimeException e) {
                    log.warn("Outbox delivery round failed: {}", e.toString());
                }
            });
        }
    }

    @Scheduled(fixedDelayString = "${dispatch.outbox.poll-interval:1s}", initialDelayString = "5s")
    void poll() {
        wake();
    }

    /**
     * Delivers every message that is due, until none is left (messages waiting for a retry stay). Returns how many
     * deliveries were attempted. A slot freed by a finished delivery is filled at once, and due messages are looked
     * for again every poll interval while deliveries run: a slow delivery holds its slot and nothing else.
     */
    public int drain() {
        int attempted = 0;
        int running = 0;
        CompletionService<Void> finished = new ExecutorCompletionService<>(deliveries);
        while (!stopping) {
            List<OutboxMessage<JsonNode>> batch =
                    running < settings.concurrency() ? claim(settings.concurrency() - running) : List.of();
            for (OutboxMessage<JsonNode> message : batch) {
                inFlight.add(message.id());
                finished.submit(
                        () -> {
                            try (var id = LogContext.put(LogContext.OUTBOX_ID, message.id());
                                    var kind = LogContext.put(LogContext.OUTBOX_KIND, message.kind())) {
                                deliver(message);
                            } finally {
                                inFlight.remove(message.id());
                            }
                        },
                        null);
            }
            running += batch.size();
            attempted += batch.size();
            if (running == 0) {
                return attempted;
            }
            try {
                Future<Void> done = finished.poll(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                while (done != null) {
                    running--;
                    settle(done);
                    done = finished.poll();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return attempted;
            }
        }
        return attempted;
    }

    private static void settle(Future<Void> done) throws InterruptedException {
        try {
            done.get();
        } catch (ExecutionException e) {
            log.error("Outbox delivery crashed", e.getCause());
        }
    }

    /** When this instance last finished a delivery, whatever the outcome (for the stall check). */
    Instant lastProgress() {
        return progress.get();
    }

    private List<OutboxMessage<JsonNode>> claim(int limit) {
        return jdbc.sql("""
                        update outbox o set next_at = now() + cast(:lease as interval), attempts = o.attempts + 1
                         where o.id in (
                               select c.id from outbox c
                                where c.status = 'PENDING' and c.next_at <= now()
                                  and c.id <> all(cast(:running as bigint[]))
                                  and not exists (select 1 from outbox e
                                                   where e.ordering_key = c.ordering_key
                                                     and e.status in ('PENDING', 'FAILED') and e.id < c.id)
                                order by c.id
                                limit :limit
                                for update skip locked)
                        returning o.id, o.kind, o.dedup_key, o.ordering_key, o.payload::text, o.attempts
                        """)
                .param("lease", settings.lease().toMillis() + " milliseconds")
                .param("limit", limit)
                .param("running", inFlight.toArray(Long[]::new))
                .query(this::message)
                .list();
    }

    private void deliver(OutboxMessage<JsonNode> message) {
        OutboxHandler<?> handler = handlers().get(message.kind());
        try {
            if (handler == null) {
                throw new IllegalStateException("no handler for outbox kind " + message.kind());
            }
            handle(handler, message);
            jdbc.sql("update outbox set status = 'DONE', done_at = now(), last_error = null where id = :id")
                    .param("id", message.id())
                    .update();
            outcome(message, "done");
        } catch (RetryLater e) {
            jdbc.sql("""
                            update outbox set next_at = now() + cast(:wait as interval),
                                   attempts = attempts - :uncounted, last_error = :error
                             where id = :id
                            """)
                    .param("wait", e.waitFor().toMillis() + " milliseconds")
                    .param("uncounted", e.attempted() ? 0 : 1)
                    .param("error", e.getMessage())
                    .param("id", message.id())
                    .update();
            outcome(message, "later");
        } catch (Exception e) {
            failed(message, e);
        }
    }

    private <P extends OutboxPayload> void handle(OutboxHandler<P> handler, OutboxMessage<JsonNode> message)
            throws Exception {
        handler.handle(message.with(json.treeToValue(message.payload(), handler.payloadType())));
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

    private void failed(OutboxMessage<JsonNode> message, Exception e) {
        String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.attempt() >= settings.maxAttempts()) {
            jdbc.sql("update outbox set status = 'FAILED', last_error = :error where id = :id")
                    .param("error", error)
                    .param("id", message.id())
                    .update();
            outcome(message, "failed");
            log.error(
                    "Outbox {} {} failed for good after {} attempts: {}",
                    message.kind(),
                    message.dedupKey(),
                    message.attempt(),
                    error);
            events.publishEvent(new OutboxDeliveryFailed(
                    message.id(), message.kind(), message.dedupKey(), payload(message), message.attempt(), error));
            return;
        }
        Duration wait = backoff(message.attempt());
        jdbc.sql("update outbox set next_at = now() + cast(:wait as interval), last_error = :error where id = :id")
                .param("wait", wait.toMillis() + " milliseconds")
                .param("error", error)
                .param("id", message.id())
                .update();
        outcome(message, "retry");
        log.warn(
                "Outbox {} {} attempt {} failed, next in {}: {}",
                message.kind(),
                message.dedupKey(),
                message.attempt(),
                wait,
                error);
    }

    /** Exponential backoff with full jitter between half and the whole step. */
    Duration backoff(int attempt) {
        long base = settings.initialBackoff().toMillis();
        long step = Math.min(settings.maxBackoff().toMillis(), base << Math.min(attempt - 1, 30));
        return Duration.ofMillis(step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1));
    }

    /** Resolved on first use: handlers may themselves enqueue, i.e. depend on {@link Outbox}, which wakes us. */
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

    private double count(String status) {
        return jdbc.sql("select count(*) from outbox where status = :status")
                .param("status", status)
                .query(Long.class)
                .single();
    }

    private OutboxMessage<JsonNode> message(ResultSet rs, int n) throws SQLException {
        return new OutboxMessage<>(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                json.readTree(rs.getString(5)),
                rs.getInt(6));
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        dispatcher.shutdown();
        deliveries.shutdown();
        if (!deliveries.awaitTermination(10, TimeUnit.SECONDS)) {
            deliveries.shutdownNow();
        }
    }
}
