package dispatch.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
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
 * Carries out outbox messages: claims due ones ({@link OutboxLeases}), runs each ({@link OutboxDelivery}) outside any
 * transaction on a pool of {@code concurrency} threads. A crash mid-delivery leaves the lease to run out; the message
 * is then delivered again and the handler's idempotency takes over.
 */
@Component
public class OutboxWorker {

    private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

    private final OutboxLeases leases;
    private final OutboxDelivery delivery;
    private final int concurrency;
    private final long pollMillis;
    private final boolean background;
    private final ExecutorService deliveries;
    private final ExecutorService dispatcher;
    private final AtomicBoolean drainQueued = new AtomicBoolean();
    private volatile boolean stopping;
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
        this.leases = new OutboxLeases(jdbc, json, settings.lease());
        this.delivery = new OutboxDelivery(leases, settings, json, events, handlerBeans, meters);
        this.concurrency = settings.concurrency();
        this.pollMillis = settings.pollInterval().toMillis();
        this.background = platform.schedulingEnabled();
        AtomicInteger threads = new AtomicInteger();
        this.deliveries =
                Executors.newFixedThreadPool(concurrency, daemon(() -> "outbox-" + threads.incrementAndGet()));
        this.dispatcher = Executors.newSingleThreadExecutor(daemon(() -> "outbox-dispatcher"));
        Gauge.builder("dispatch.outbox.pending", () -> leases.count("PENDING"))
                .description("Outbox messages waiting to be delivered")
                .register(meters);
        Gauge.builder("dispatch.outbox.failed", () -> leases.count("FAILED"))
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
     * Delivers every message that is due, until none is left, and tries each at most once: a message that fails (or
     * is told to wait) waits for a later drain, however long this one runs. Returns how many deliveries were
     * attempted. A slot freed by a finished delivery is filled at once, and due messages are looked for again every
     * poll interval while deliveries run: a slow delivery holds its slot and nothing else.
     */
    public int drain() {
        int attempted = 0;
        int running = 0;
        // Tried in this drain and not finished. Without it, a delivery slower than another message's backoff keeps the
        // drain going until that message is due again, and it is tried again in the same drain.
        Set<Long> waiting = ConcurrentHashMap.newKeySet();
        CompletionService<Void> finished = new ExecutorCompletionService<>(deliveries);
        while (!stopping) {
            List<OutboxMessage<JsonNode>> batch =
                    running < concurrency ? leases.claim(concurrency - running, excluded(waiting)) : List.of();
            for (OutboxMessage<JsonNode> message : batch) {
                inFlight.add(message.id());
                finished.submit(() -> run(message, waiting), null);
            }
            running += batch.size();
            attempted += batch.size();
            if (running == 0) {
                return attempted;
            }
            try {
                Future<Void> done = finished.poll(pollMillis, TimeUnit.MILLISECONDS);
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

    private void run(OutboxMessage<JsonNode> message, Set<Long> waiting) {
        boolean finished = false;
        try (var id = LogContext.put(LogContext.OUTBOX_ID, message.id());
                var kind = LogContext.put(LogContext.OUTBOX_KIND, message.kind())) {
            finished = delivery.deliver(message);
        } finally {
            if (!finished) waiting.add(message.id());
            inFlight.remove(message.id());
        }
    }

    private Set<Long> excluded(Set<Long> waiting) {
        Set<Long> excluded = new HashSet<>(inFlight);
        excluded.addAll(waiting);
        return excluded;
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
        return delivery.lastProgress();
    }

    private static ThreadFactory daemon(Supplier<String> name) {
        return r -> {
            Thread t = new Thread(r, name.get());
            t.setDaemon(true);
            return t;
        };
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
