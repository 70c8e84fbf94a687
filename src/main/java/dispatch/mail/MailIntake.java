package dispatch.mail;

import dispatch.mail.FolderReader.Downloaded;
import dispatch.mail.FolderReader.Fetched;
import dispatch.mail.MailStore.Checkpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mail intake: every message of every watched folder stored exactly once. Progress per folder is a (UIDVALIDITY,
 * last UID) checkpoint committed in the same transaction as the batch of messages it covers, so a crash at any point
 * re-reads at most one batch, and Message-ID uniqueness makes the re-read harmless. The mailbox is opened read-only.
 */
@Service
public class MailIntake {

    private static final Logger log = LoggerFactory.getLogger(MailIntake.class);
    /** First key of the folder locks' two-key advisory locks (a key space of their own). */
    private static final int LOCK_NAMESPACE = 0x6d61696c; // "mail"

    private final MailProperties settings;
    private final ImapConnector connector = new ImapConnector();
    private final MailStore store;
    private final FolderReader reader;
    private final TransactionTemplate batchTransaction;
    private final DataSource dataSource;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();

    MailIntake(
            MailProperties settings,
            MailStore store,
            FileStore files,
            OwnMessageIds ownIds,
            PlatformTransactionManager transactions,
            DataSource dataSource,
            ApplicationEventPublisher events,
            MeterRegistry meters,
            Clock clock) {
        this.settings = settings;
        this.store = store;
        this.reader = new FolderReader(
                files,
                new MimeParser(
                        files,
                        new Classifier(ownIds, settings.robotSenders()),
                        settings.maxAttachmentSize().toBytes(),
                        settings.limits()),
                clock);
        this.batchTransaction = new TransactionTemplate(transactions);
        this.dataSource = dataSource;
        this.events = events;
        this.meters = meters;
        this.clock = clock;
    }

    /** What one pass over the folders did. */
    public record Report(int stored, int duplicates, int quarantined, List<String> failedFolders) {

        Report plus(Report other) {
            List<String> failed = new ArrayList<>(failedFolders);
            failed.addAll(other.failedFolders);
            return new Report(
                    stored + other.stored, duplicates + other.duplicates, quarantined + other.quarantined, failed);
        }
    }

    /** Reads every folder of every account once. One failing folder does not stop the others. */
    public Report pollOnce() {
        Report total = new Report(0, 0, 0, List.of());
        for (MailProperties.Account account : settings.accounts()) {
            total = total.plus(poll(account, FolderRole.INBOX)).plus(poll(account, FolderRole.SENT));
        }
        return total;
    }

    /** Reads one folder of an account (IDLE wake-ups call this for INBOX). */
    Report poll(MailProperties.Account account, FolderRole role) {
        String lockName = "mail:" + account.name() + ":" + role;
        ReentrantLock local = localLocks.computeIfAbsent(lockName, k -> new ReentrantLock());
        local.lock();
        try (Connection lock = dataSource.getConnection()) {
            // Across instances: whoever holds the lock reads the folder; the others skip this round. A PostgreSQL
            // session lock dies with its holder's connection, so a killed instance does not block the folder (a
            // ShedLock lease would, until it expired). Keepalives bound how long a vanished host can hold it.
            if (!tryLock(lock, lockName)) {
                return new Report(0, 0, 0, List.of());
            }
            try {
                return readFolder(account, role);
            } finally {
                unlock(lock, lockName);
            }
        } catch (SQLException e) {
            log.warn(
                    "Mail intake of {}/{} cannot take its folder lock, will retry: {}",
                    account.name(),
                    role,
                    e.toString());
            return new Report(0, 0, 0, List.of(account.name() + "/" + role + ": " + e.getMessage()));
        } finally {
            local.unlock();
        }
    }

    private static boolean tryLock(Connection connection, String lockName) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3");
        }
        try (PreparedStatement s =
                connection.prepareStatement("select pg_try_advisory_lock(" + LOCK_NAMESPACE + ", hashtext(?))")) {
            s.setString(1, lockName);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, String lockName) throws SQLException {
        try (PreparedStatement s =
                connection.prepareStatement("select pg_advisory_unlock(" + LOCK_NAMESPACE + ", hashtext(?))")) {
            s.setString(1, lockName);
            s.execute();
        }
    }

    private Report readFolder(MailProperties.Account account, FolderRole role) {
        String where = account.name() + "/" + role;
        try (Store imap = connector.connect(account)) {
            IMAPFolder folder = FolderNames.open(imap, account, role);
            try {
                return readOpenFolder(account, role, folder);
            } finally {
                if (folder.isOpen()) folder.close(false);
            }
        } catch (MessagingException | RuntimeException e) {
            log.warn("Mail intake of {} failed, will retry: {}", where, e.toString());
            meters.counter("dispatch.mail.folder.failures", "account", account.name(), "folder", role.name())
                    .increment();
            return new Report(0, 0, 0, List.of(where + ": " + e.getMessage()));
        }
    }

    private Report readOpenFolder(MailProperties.Account account, FolderRole role, IMAPFolder folder)
            throws MessagingException {
        long uidValidity = folder.getUIDValidity();
        Checkpoint checkpoint = store.checkpoint(account.name(), folder.getFullName(), role.name());
        long after = checkpoint.lastUid();
        if (checkpoint.uidValidity() != null && checkpoint.uidValidity() != uidValidity) {
            log.warn(
                    "UIDVALIDITY of {}/{} changed from {} to {}: rescanning the folder (known Message-IDs are skipped)",
                    account.name(),
                    folder.getFullName(),
                    checkpoint.uidValidity(),
                    uidValidity);
            after = 0;
        }
        long uidNext = folder.getUIDNext();
        if (uidNext > 0) store.observed(checkpoint.folderId(), uidNext);
        List<List<Long>> batches = FolderReader.batches(ImapFetch.uidsAfter(folder, after), settings.batchSize());
        Report report = readBatches(account, role, folder, checkpoint.folderId(), uidValidity, batches);
        if (report.failedFolders().isEmpty() && uidNext > 0) store.readThrough(checkpoint.folderId(), uidNext);
        if (report.stored() + report.quarantined() > 0) {
            log.info(
                    "Mail {}/{}: {} stored, {} already known, {} quarantined",
                    account.name(),
                    role,
                    report.stored(),
                    report.duplicates(),
                    report.quarantined());
        }
        return report;
    }

    /**
     * Reads and stores batch after batch until the first failure. While a batch is parsed and stored, the next one
     * comes from the server: a read waits on IMAP about as long as it works, and the two overlap on two cores.
     */
    private Report readBatches(
            MailProperties.Account account,
            FolderRole role,
            IMAPFolder folder,
            long folderId,
            long uidValidity,
            List<List<Long>> batches) {
        Report report = new Report(0, 0, 0, List.of());
        long fetchNanos = 0, storeNanos = 0;
        ExecutorService downloads =
                Executors.newSingleThreadExecutor(r -> new Thread(r, "imap-read-" + account.name()));
        try {
            Future<List<Downloaded>> next = batches.isEmpty() ? null : download(downloads, folder, batches.get(0));
            for (int i = 0; i < batches.size(); i++) {
                long t0 = System.nanoTime();
                List<Downloaded> downloaded = await(next);
                if (i + 1 < batches.size()) {
                    next = download(downloads, folder, batches.get(i + 1));
                }
                List<Fetched> fetched = reader.read(downloaded);
                long t1 = System.nanoTime();
                fetchNanos += t1 - t0;
                report = report.plus(storeBatch(account, role, folderId, uidValidity, fetched));
                storeNanos += System.nanoTime() - t1;
            }
            return report;
        } catch (MessagingException | RuntimeException e) {
            log.warn(
                    "Mail intake of {}/{} stopped after {} messages, will retry: {}",
                    account.name(),
                    role,
                    report.stored(),
                    e.toString());
            return report.plus(new Report(0, 0, 0, List.of(account.name() + "/" + role + ": " + e.getMessage())));
        } finally {
            downloads.shutdown();
            log.debug("fetch {} ms, store {} ms", fetchNanos / 1_000_000, storeNanos / 1_000_000);
        }
    }

    private Future<List<Downloaded>> download(ExecutorService downloads, IMAPFolder folder, List<Long> batch) {
        return downloads.submit(() -> reader.download(folder, batch));
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

    /**
     * Stores a batch and advances the checkpoint in one transaction. First in one go (a few JDBC batches); if the
     * database refuses anything, again message by message under savepoints, so that only the refused message is
     * quarantined. Listeners of the events act after commit, so the first attempt's events vanish with it.
     */
    private Report storeBatch(
            MailProperties.Account account, FolderRole role, long folderId, long uidValidity, List<Fetched> batch) {
        Instant now = clock.instant();
        List<Outcome> outcomes;
        try {
            outcomes = batchTransaction.execute(tx -> storeAll(account, role, folderId, uidValidity, batch, false));
        } catch (RuntimeException e) {
            log.debug("Batch of {}/{} refused as a whole, storing message by message: {}", account, role, e.toString());
            outcomes = batchTransaction.execute(tx -> storeAll(account, role, folderId, uidValidity, batch, true));
        }
        int stored = 0, duplicates = 0, quarantined = 0;
        for (int i = 0; i < batch.size(); i++) {
            Fetched f = batch.get(i);
            switch (outcomes.get(i)) {
                case STORED -> {
                    stored++;
                    stored(account, role, f.mail()).increment();
                }
                case DUPLICATE -> duplicates++;
                case QUARANTINED -> {
                    quarantined++;
                    quarantinedCounter(account, role).increment();
                }
            }
            if (f.mail() != null) {
                Timer.builder("dispatch.mail.ingest.lag")
                        .description("Delivery to the mailbox until stored")
                        .register(meters)
                        .record(Duration.between(f.internalDate(), now).abs());
            }
        }
        return new Report(stored, duplicates, quarantined, List.of());
    }

    private List<Outcome> storeAll(
            MailProperties.Account account,
            FolderRole role,
            long folderId,
            long uidValidity,
            List<Fetched> batch,
            boolean oneByOne) {
        store.lockCheckpoint(folderId);
        List<Outcome> outcomes = oneByOne
                ? batch.stream()
                        .map(f -> storeIsolated(account, role, folderId, uidValidity, f))
                        .toList()
                : insert(account, role, folderId, uidValidity, batch);
        store.advance(
                folderId,
                uidValidity,
                batch.stream().mapToLong(Fetched::uid).max().orElseThrow());
        return outcomes;
    }

    private enum Outcome {
        STORED,
        DUPLICATE,
        QUARANTINED
    }

    /** One message under a savepoint: if the database refuses it, it is quarantined with the reason. */
    private Outcome storeIsolated(
            MailProperties.Account account, FolderRole role, long folderId, long uidValidity, Fetched f) {
        try {
            return withSavepoint(() ->
                    insert(account, role, folderId, uidValidity, List.of(f)).get(0));
        } catch (RuntimeException e) {
            return quarantine(account, role, folderId, uidValidity, f, "store failed: " + e.getMessage());
        }
    }

    /** Inserts parsed messages with their details and sightings, and quarantines the unparsed ones. */
    private List<Outcome> insert(
            MailProperties.Account account, FolderRole role, long folderId, long uidValidity, List<Fetched> batch) {
        List<Outcome> outcomes = new ArrayList<>();
        Map<Long, ParsedMail> inserted = new LinkedHashMap<>();
        List<MailStore.Sighting> sightings = new ArrayList<>();
        for (Fetched f : batch) {
            if (f.mail() == null) {
                outcomes.add(quarantine(account, role, folderId, uidValidity, f, f.failure()));
                continue;
            }
            String direction = direction(role, f.mail());
            var id = store.insertMessage(
                    f.mail(), folderId, f.uid(), direction, f.internalDate(), f.rawSha256(), f.rawSize());
            long rowId = id.orElseGet(() -> store.idOf(f.mail().messageId()));
            sightings.add(new MailStore.Sighting(f.uid(), rowId));
            if (id.isPresent()) {
                inserted.put(rowId, f.mail());
                events.publishEvent(new MailReceived(rowId, "OUTBOUND".equals(direction)));
            }
            outcomes.add(id.isPresent() ? Outcome.STORED : Outcome.DUPLICATE);
        }
        store.insertDetails(inserted);
        store.recordSightings(folderId, uidValidity, sightings);
        return outcomes;
    }

    /**
     * Mail written from the dispatch mailbox itself is outbound in any folder: a dispatcher who copies the mailbox
     * puts the same message in INBOX and Sent, and whichever is read first must not make it look like a carrier's.
     */
    private String direction(FolderRole role, ParsedMail mail) {
        if (role == FolderRole.SENT) {
            return FolderRole.SENT.direction;
        }
        String from = mail.from() == null ? null : mail.from().address();
        boolean ours = from != null
                && (from.equalsIgnoreCase(settings.smtp().from())
                        || settings.accounts().stream().anyMatch(a -> from.equalsIgnoreCase(a.username())));
        return ours ? FolderRole.SENT.direction : role.direction;
    }

    /**
     * Runs one message's inserts under a JDBC savepoint of the batch transaction, so a failing message rolls back
     * alone (Hibernate's JPA dialect offers no savepoints; the JDBC connection of the transaction does).
     */
    private Outcome withSavepoint(java.util.function.Supplier<Outcome> work) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot set a savepoint", e);
        }
        try {
            Outcome outcome = work.get();
            connection.releaseSavepoint(savepoint);
            return outcome;
        } catch (RuntimeException | SQLException e) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    private Outcome quarantine(
            MailProperties.Account account,
            FolderRole role,
            long folderId,
            long uidValidity,
            Fetched f,
            String reason) {
        log.warn("Quarantined message UID {} of {}/{}: {}", f.uid(), account.name(), role, reason);
        store.quarantine(folderId, uidValidity, f.uid(), f.rawSha256(), f.rawSize() < 0 ? null : f.rawSize(), reason);
        events.publishEvent(new MailQuarantined(folderId, f.uid(), reason));
        return Outcome.QUARANTINED;
    }

    private Counter quarantinedCounter(MailProperties.Account account, FolderRole role) {
        return meters.counter("dispatch.mail.quarantined", "account", account.name(), "folder", role.name());
    }

    private Counter stored(MailProperties.Account account, FolderRole role, ParsedMail mail) {
        return meters.counter(
                "dispatch.mail.stored",
                "account",
                account.name(),
                "folder",
                role.name(),
                "origin",
                mail.classification().origin().name(),
                "auto",
                mail.classification().autoKind().name());
    }

    /** The messages that could not be parsed or stored, newest last. */
    public List<MailStore.Quarantined> quarantined(boolean includeReplayed) {
        return store.quarantined(includeReplayed);
    }

    /**
     * Parses and stores a quarantined message again (after a fix), from its raw copy, or from the mailbox by UID when
     * it was never downloaded. Returns the outcome as a sentence for the admin.
     */
    public String replay(long quarantineId) {
        MailStore.Quarantined q = store.quarantinedById(quarantineId)
                .orElseThrow(() -> new java.util.NoSuchElementException("no quarantined message " + quarantineId));
        if (q.replayedAt() != null) {
            return "already replayed at " + q.replayedAt();
        }
        MailProperties.Account account = settings.accounts().stream()
                .filter(a -> a.name().equals(q.account()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("account " + q.account() + " is no longer configured"));
        FolderRole role = FolderRole.valueOf(q.role());
        Fetched fetched;
        try {
            fetched = q.rawSha256() != null
                    ? reader.reparse(q.uid(), q.createdAt(), q.rawSha256())
                    : refetch(account, role, q);
        } catch (java.io.IOException | MessagingException e) {
            return "replay failed: " + e.getMessage();
        }
        if (fetched.mail() == null) {
            return "still failing: " + fetched.failure();
        }
        long folderId = store.checkpoint(account.name(), q.folder(), q.role()).folderId();
        Outcome outcome = batchTransaction.execute(tx -> {
            Outcome o = storeIsolated(account, role, folderId, q.uidValidity(), fetched);
            if (o != Outcome.QUARANTINED) store.markReplayed(quarantineId);
            return o;
        });
        return switch (outcome) {
            case STORED -> {
                stored(account, role, fetched.mail()).increment();
                yield "stored";
            }
            case DUPLICATE -> "already stored (same Message-ID)";
            case QUARANTINED -> {
                quarantinedCounter(account, role).increment();
                yield "still failing; see the quarantine reason";
            }
        };
    }

    private Fetched refetch(MailProperties.Account account, FolderRole role, MailStore.Quarantined q)
            throws MessagingException {
        try (Store imap = connector.connect(account)) {
            IMAPFolder folder = FolderNames.open(imap, account, role);
            try {
                if (folder.getUIDValidity() != q.uidValidity()) {
                    throw new MessagingException(
                            "the folder's UIDVALIDITY changed; the message was re-read by the rescan");
                }
                return reader.fetchOne(folder, q.uid());
            } finally {
                if (folder.isOpen()) folder.close(false);
            }
        }
    }
}
