package dispatch.mail;

import dispatch.mail.FolderReader.Downloaded;
import dispatch.mail.FolderReader.Fetched;
import dispatch.mail.InboundStore.Held;
import dispatch.mail.InboundStore.Staged;
import dispatch.mail.MailStore.Checkpoint;
import dispatch.platform.LogContext;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The intake's first stage (decision 0016): reads a folder batch by batch and commits each batch's raw bytes to
 * {@code mail_inbound} together with the folder's checkpoint, in one transaction, so a crash at any point re-reads at
 * most one batch and a UID is staged once. Parsing is the second stage's work ({@link MailParsing}); a message the
 * server would not hand over is quarantined here with its reason.
 */
final class FolderIntake {

    private static final Logger log = LoggerFactory.getLogger(FolderIntake.class);

    /** Batches downloaded or downloading ahead of the writer: memory for this many, at most 100 messages each. */
    private static final int AHEAD = 3;
    /** Longer than the IMAP read timeout, so a download in progress ends by itself first. */
    private static final Duration STOP_WAIT = Duration.ofMinutes(2);

    /** What one read of a folder staged, quarantined, or why it stopped. */
    record Read(int staged, int quarantined, List<String> failures) {}

    private final MailProperties settings;
    private final MailStore store;
    private final InboundStore inbound;
    private final InboundSpool spool;
    private final FolderReader reader;
    private final MessageWriter writer;
    private final TransactionTemplate batchTransaction;
    private final IntakeMetrics meters;
    private final Runnable staged;

    FolderIntake(
            MailProperties settings,
            MailStore store,
            InboundStore inbound,
            InboundSpool spool,
            FolderReader reader,
            MessageWriter writer,
            TransactionTemplate batchTransaction,
            IntakeMetrics meters,
            Runnable staged) {
        this.settings = settings;
        this.store = store;
        this.inbound = inbound;
        this.spool = spool;
        this.reader = reader;
        this.writer = writer;
        this.batchTransaction = batchTransaction;
        this.meters = meters;
        this.staged = staged;
    }

    /** Reads one folder on the pass's connection; a failure drops that connection so the next folder gets a new one. */
    Read read(AccountConnection connection, FolderRole role) {
        MailProperties.Account account = connection.account();
        String where = account.name() + "/" + role;
        try (var logged = LogContext.put(LogContext.FOLDER, where)) {
            IMAPFolder folder = FolderNames.open(connection.store(), account, role);
            Read read;
            try {
                read = readOpen(account, role, folder);
            } finally {
                if (folder.isOpen()) folder.close(false);
            }
            if (!read.failures().isEmpty()) connection.drop();
            return read;
        } catch (MessagingException | RuntimeException e) {
            connection.drop();
            log.warn("Mail intake of {} failed, will retry: {}", where, e.toString());
            meters.folderFailed(account.name(), role);
            return new Read(0, 0, List.of(where + ": " + e.getMessage()));
        }
    }

    private Read readOpen(MailProperties.Account account, FolderRole role, IMAPFolder imap) throws MessagingException {
        long uidValidity = imap.getUIDValidity();
        Checkpoint checkpoint = store.checkpoint(account.name(), imap.getFullName(), role.name());
        long after = checkpoint.lastUid();
        if (checkpoint.uidValidity() != null && checkpoint.uidValidity() != uidValidity) {
            log.warn(
                    "UIDVALIDITY of {}/{} changed from {} to {}: rescanning the folder (known Message-IDs are skipped)",
                    account.name(),
                    imap.getFullName(),
                    checkpoint.uidValidity(),
                    uidValidity);
            after = 0;
        }
        long uidNext = imap.getUIDNext();
        if (uidNext > 0) store.observed(checkpoint.folderId(), uidNext);
        FolderRef folder = new FolderRef(account.name(), role, checkpoint.folderId(), uidValidity);
        List<List<Long>> batches = FolderReader.batches(ImapFetch.uidsAfter(imap, after), settings.batchSize());
        Read read = readBatches(folder, imap, batches);
        if (read.failures().isEmpty() && uidNext > 0) store.readThrough(folder.id(), uidNext);
        if (read.staged() + read.quarantined() > 0) {
            log.info("Mail {}: {} fetched, {} quarantined", folder, read.staged(), read.quarantined());
        }
        return read;
    }

    /**
     * Reads and stages batch after batch until the first failure, as a pipeline: the download thread fetches up to
     * {@link #AHEAD} batches ahead while this thread, the only writer, commits what has arrived in UID order, rows and
     * checkpoint in one transaction. Batches that arrived while the writer was busy are written together (one file,
     * one commit: group commit), so when the disk is slow the writer catches up instead of falling further behind. A
     * failure on either side stops the read after the last committed group, and the download thread is gone before
     * the folder is closed and its lock released.
     */
    private Read readBatches(FolderRef folder, IMAPFolder imap, List<List<Long>> batches) {
        int stagedCount = 0, quarantined = 0;
        ExecutorService downloads = Executors.newSingleThreadExecutor(r -> new Thread(r, "imap-read-" + folder));
        Deque<Future<List<Downloaded>>> ahead = new ArrayDeque<>();
        int next = 0;
        try {
            while (next < batches.size() || !ahead.isEmpty()) {
                while (next < batches.size() && ahead.size() < AHEAD)
                    ahead.add(download(downloads, imap, batches.get(next++)));
                List<Downloaded> group = new ArrayList<>(await(ahead.poll()));
                while (!ahead.isEmpty() && ahead.peek().isDone()) group.addAll(await(ahead.poll()));
                int failed = stage(folder, group);
                stagedCount += group.size() - failed;
                quarantined += failed;
                staged.run();
            }
            return new Read(stagedCount, quarantined, List.of());
        } catch (MessagingException | RuntimeException e) {
            log.warn("Mail intake of {} stopped after {} messages, will retry: {}", folder, stagedCount, e.toString());
            return new Read(stagedCount, quarantined, List.of(folder + ": " + e.getMessage()));
        } finally {
            stop(downloads, ahead);
        }
    }

    /**
     * Drops the downloads not started and waits for the one running (after a failure) to end: their bytes are
     * dropped, nothing of them was committed, and they are read again next time.
     */
    private static void stop(ExecutorService downloads, Deque<Future<List<Downloaded>>> ahead) {
        ahead.forEach(f -> f.cancel(false));
        downloads.shutdown();
        try {
            if (!downloads.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("A folder download did not end within {} after its read stopped", STOP_WAIT);
            }
        } catch (InterruptedException e) {
            downloads.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes a batch's bytes to a file of the spool and forces it to disk, then commits the rows that name them, the
     * download failures and the checkpoint past the batch in one transaction; returns how many failed. A file whose
     * transaction fails is left to the spool's sweep: the commit may have happened all the same.
     */
    private int stage(FolderRef folder, List<Downloaded> batch) {
        List<Downloaded> small = new ArrayList<>();
        List<Downloaded> failed = new ArrayList<>();
        List<Staged> rows = new ArrayList<>();
        for (Downloaded d : batch) {
            if (d.failure() != null) {
                failed.add(d);
            } else if (d.bytes() != null) {
                small.add(d);
            } else {
                d.raw().close(); // the compressed copy stays in the raw store; the plain one is not needed
                rows.add(new Staged(
                        0, folder, d.uid(), d.internalDate(), new Held.RawCopy(d.raw().sha256), d.raw().size));
            }
        }
        InboundSpool.Written file = write(small);
        for (int i = 0; i < small.size(); i++) {
            Downloaded d = small.get(i);
            Held bytes = new Held.Spooled(file.file(), file.offsets()[i]);
            rows.add(new Staged(0, folder, d.uid(), d.internalDate(), bytes, d.bytes().length));
        }
        rows.sort(Comparator.comparingLong(Staged::uid));
        long last = batch.stream().mapToLong(Downloaded::uid).max().orElseThrow();
        batchTransaction.executeWithoutResult(tx -> {
            if (failed.isEmpty()) inbound.commitWithoutWaitingForDisk();
            // UIDs up to the locked checkpoint are staged already (by a reader that held the folder before this one
            // took it): COPY cannot skip them as an insert's "on conflict" would, so they are left out here.
            Checkpoint held = store.lockCheckpoint(folder.id());
            long done = held.uidValidity() != null && held.uidValidity() == folder.uidValidity() ? held.lastUid() : 0;
            inbound.copy(rows.stream().filter(r -> r.uid() > done).toList());
            List<Object> events = new ArrayList<>();
            for (Downloaded d : failed) {
                Fetched none = new Fetched(d.uid(), d.internalDate(), null, -1, null, d.failure());
                writer.quarantine(new MessageWriter.Item(folder, none), d.failure(), events);
            }
            writer.publish(events);
            store.advance(folder.id(), folder.uidValidity(), Math.max(last, done));
        });
        if (!failed.isEmpty()) meters.quarantined(folder, failed.size());
        return failed.size();
    }

    private InboundSpool.Written write(List<Downloaded> small) {
        if (small.isEmpty()) return new InboundSpool.Written(null, new long[0]);
        try {
            return spool.write(small.stream().map(Downloaded::bytes).toList());
        } catch (IOException e) {
            // The data directory failing is not about these messages: the batch stops and is read again.
            throw new UncheckedIOException(e);
        }
    }

    private Future<List<Downloaded>> download(ExecutorService downloads, IMAPFolder imap, List<Long> batch) {
        return downloads.submit(() -> reader.download(imap, batch));
    }

    private static <T> T await(Future<T> future) throws MessagingException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MessagingException m) throw m;
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        }
    }
}
