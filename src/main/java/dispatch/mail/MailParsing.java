package dispatch.mail;

import dispatch.mail.InboundStore.Held;
import dispatch.mail.InboundStore.Staged;
import dispatch.mail.MessageWriter.Item;
import dispatch.mail.MessageWriter.Outcome;
import dispatch.platform.LogContext;
import dispatch.platform.StageState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The intake's second stage (decision 0016): turns staged raw mail into stored mail. One transaction per batch
 * claims the oldest staged rows ({@code skip locked}, so parsers of any instance never share a message), parses them
 * on {@code DISPATCH_MAIL_PARSETHREADS} threads, writes them (or quarantines them with the reason) and deletes the
 * staged rows: a message is stored exactly once however often a crash cuts this short. Batches are written in the
 * order they were staged.
 */
@Component
class MailParsing implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(MailParsing.class);

    /** What one pass stored. */
    record Counts(int stored, int duplicates, int quarantined) {}

    private final MailProperties settings;
    private final InboundStore inbound;
    private final InboundSpool spool;
    private final FolderReader reader;
    private final MessageWriter writer;
    private final TransactionTemplate batchTransaction;
    private final IntakeMetrics meters;
    private final Clock clock;
    private final ExecutorService parsers;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile @Nullable Instant lastProgress;
    private @Nullable Instant nextSweep;

    private static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    static final Duration ORPHAN_AGE = Duration.ofHours(1);

    MailParsing(
            MailProperties settings,
            InboundStore inbound,
            InboundSpool spool,
            FolderReader reader,
            MessageWriter writer,
            PlatformTransactionManager transactions,
            IntakeMetrics meters,
            Clock clock) {
        this.settings = settings;
        this.inbound = inbound;
        this.spool = spool;
        this.reader = reader;
        this.writer = writer;
        this.batchTransaction = new TransactionTemplate(transactions);
        this.meters = meters;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.parsers = Executors.newFixedThreadPool(settings.parseThreads(), r -> {
            Thread t = new Thread(r, "mail-parse-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Tells the stage that mail was staged (the intake calls this after each batch commits). */
    void wake() {
        if (wakeUps.availablePermits() == 0) wakeUps.release();
    }

    /** Waits until woken or {@code timeout} passed; true when woken. */
    boolean awaitWork(Duration timeout) throws InterruptedException {
        boolean woken = wakeUps.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        wakeUps.drainPermits();
        return woken;
    }

    /** Parses and stores every staged message, batch by batch, until none is left (or another parser holds it). */
    Counts parseWaiting() {
        sweepSpool();
        Counts total = new Counts(0, 0, 0);
        for (Counts batch; (batch = parseBatch()) != null; ) {
            total = new Counts(
                    total.stored() + batch.stored(),
                    total.duplicates() + batch.duplicates(),
                    total.quarantined() + batch.quarantined());
        }
        return total;
    }

    StageState state() {
        return inbound.waiting(lastProgress);
    }

    private @Nullable Counts parseBatch() {
        List<Item> items = new ArrayList<>();
        Set<String> files = new HashSet<>();
        List<Outcome> outcomes = batchTransaction.execute(tx -> {
            List<Staged> claimed = inbound.claim(settings.batchSize());
            if (claimed.isEmpty()) return List.of();
            items.addAll(parseAll(claimed));
            List<Outcome> written = writer.write(items);
            inbound.delete(claimed);
            for (Staged s : claimed) {
                if (s.bytes() instanceof Held.Spooled spooled) files.add(spooled.file());
            }
            return written;
        });
        if (items.isEmpty()) return null;
        lastProgress = clock.instant();
        // After the commit, and by whichever parser stored a file's last message (checked after its own commit).
        inbound.unnamed(files).forEach(spool::delete);
        return count(items, outcomes);
    }

    /**
     * Deletes batch files no staged row names (a read whose commit failed, a parser that died between its commit and
     * the delete); at most every {@link #SWEEP_EVERY}, and only files older than {@link #ORPHAN_AGE}, which no read
     * still about to commit can own.
     */
    private synchronized void sweepSpool() {
        Instant now = clock.instant();
        if (nextSweep != null && now.isBefore(nextSweep)) return;
        nextSweep = now.plus(SWEEP_EVERY);
        try {
            spool.sweep(inbound.named(), ORPHAN_AGE);
        } catch (IOException e) {
            log.warn("Cannot sweep the staged files: {}", e.toString());
        }
    }

    /** Parses on the parser threads; the order of the batch is kept. */
    private List<Item> parseAll(List<Staged> claimed) {
        List<Future<Item>> parsed = new ArrayList<>();
        for (Staged s : claimed) {
            parsed.add(parsers.submit(() -> {
                try (var logged = LogContext.put(LogContext.FOLDER, s.folder())) {
                    return new Item(s.folder(), reader.parse(s, spool));
                }
            }));
        }
        List<Item> items = new ArrayList<>();
        try {
            for (Future<Item> f : parsed) items.add(f.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing", e);
        } catch (ExecutionException e) {
            // Not about one message (those are quarantined): the data directory failed. The batch stays staged.
            throw new IllegalStateException("Cannot parse staged mail: " + e.getCause(), e.getCause());
        } finally {
            parsed.forEach(f -> f.cancel(false));
        }
        return items;
    }

    private Counts count(List<Item> items, List<Outcome> outcomes) {
        Instant now = clock.instant();
        Map<FolderRef, int[]> perFolder = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            int[] c = perFolder.computeIfAbsent(item.folder(), k -> new int[3]);
            switch (outcomes.get(i)) {
                case STORED -> {
                    c[0]++;
                    meters.stored(item.folder(), item.fetched().mail());
                }
                case DUPLICATE -> c[1]++;
                case QUARANTINED -> {
                    c[2]++;
                    meters.quarantined(item.folder(), 1);
                }
            }
            if (item.fetched().mail() != null) meters.lag(item.fetched().internalDate(), now);
        }
        int stored = 0, duplicates = 0, quarantined = 0;
        for (var e : perFolder.entrySet()) {
            int[] c = e.getValue();
            log.info("Mail {}: {} stored, {} already known, {} quarantined", e.getKey(), c[0], c[1], c[2]);
            stored += c[0];
            duplicates += c[1];
            quarantined += c[2];
        }
        return new Counts(stored, duplicates, quarantined);
    }

    @Override
    public void destroy() {
        parsers.shutdownNow();
    }
}
