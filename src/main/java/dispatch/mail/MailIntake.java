package dispatch.mail;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Mail intake: every message of every watched folder stored exactly once, in two stages (decision 0016). The read
 * ({@link FolderIntake}) commits each batch's raw bytes with the folder's (UIDVALIDITY, last UID) checkpoint; the
 * parse stage ({@link MailParsing}) turns them into stored mail and removes them in one transaction. A crash at any
 * point re-reads at most one batch or re-parses at most one, and UID and Message-ID uniqueness make that harmless.
 * The mailbox is opened read-only.
 */
@Service
public class MailIntake {

    private static final Logger log = LoggerFactory.getLogger(MailIntake.class);

    private final MailProperties settings;
    private final QuarantineStore quarantine;
    private final FolderLock locks;
    private final FolderIntake folders;
    private final MailParsing parsing;
    private final MailReplay replays;
    private final ImapConnector connector = new ImapConnector();

    MailIntake(
            MailProperties settings,
            MailStore store,
            QuarantineStore quarantine,
            InboundStore inbound,
            InboundSpool spool,
            FolderReader reader,
            MessageWriter writer,
            MailParsing parsing,
            IntakeMetrics meters,
            PlatformTransactionManager transactions,
            DataSource dataSource) {
        TransactionTemplate transaction = new TransactionTemplate(transactions);
        this.settings = settings;
        this.quarantine = quarantine;
        this.locks = new FolderLock(dataSource);
        this.folders =
                new FolderIntake(settings, store, inbound, spool, reader, writer, transaction, meters, parsing::wake);
        this.parsing = parsing;
        this.replays = new MailReplay(settings, store, quarantine, reader, writer, transaction, meters);
    }

    /**
     * What one pass did: messages fetched (committed for parsing), stored, already known, quarantined, and the
     * folders whose read failed.
     */
    public record Report(int fetched, int stored, int duplicates, int quarantined, List<String> failedFolders) {

        Report plus(Report other) {
            List<String> failed = new ArrayList<>(failedFolders);
            failed.addAll(other.failedFolders);
            return new Report(
                    fetched + other.fetched,
                    stored + other.stored,
                    duplicates + other.duplicates,
                    quarantined + other.quarantined,
                    failed);
        }
    }

    private static final Report NOTHING = new Report(0, 0, 0, 0, List.of());

    /** Reads every folder of every account once and stores what it read before returning. */
    public Report pollOnce() {
        return fetchOnce().plus(parseWaiting());
    }

    /**
     * Reads every folder of every account once, committing the mail for the parse stage (which it wakes). One
     * failing folder does not stop the others.
     */
    public Report fetchOnce() {
        Report total = NOTHING;
        for (MailProperties.Account account : settings.accounts()) {
            total = total.plus(poll(account, FolderRole.INBOX, FolderRole.SENT));
        }
        return total;
    }

    /** Parses and stores everything fetched and not stored yet, here and now. */
    public Report parseWaiting() {
        MailParsing.Counts c = parsing.parseWaiting();
        return new Report(0, c.stored(), c.duplicates(), c.quarantined(), List.of());
    }

    /**
     * Reads folders of an account, one after the other on one connection (IDLE wake-ups call this for INBOX); a folder
     * another instance is reading is skipped.
     */
    Report poll(MailProperties.Account account, FolderRole... roles) {
        Report total = NOTHING;
        try (AccountConnection connection = new AccountConnection(connector, account)) {
            for (FolderRole role : roles) {
                total = total.plus(read(connection, role));
            }
        }
        return total;
    }

    private Report read(AccountConnection connection, FolderRole role) {
        String where = connection.account().name() + "/" + role;
        try {
            return locks.whileHeld(
                            "mail:" + connection.account().name() + ":" + role, () -> folders.read(connection, role))
                    .map(r -> new Report(r.staged(), 0, 0, r.quarantined(), r.failures()))
                    .orElse(NOTHING);
        } catch (SQLException e) {
            log.warn("Mail intake of {} cannot take its folder lock, will retry: {}", where, e.toString());
            return new Report(0, 0, 0, 0, List.of(where + ": " + e.getMessage()));
        }
    }

    /** The parse stage, for starting the intake's jobs by hand ({@code IdleWatcher} in the tests). */
    MailParsing parsing() {
        return parsing;
    }

    /** The messages that could not be parsed or stored, newest last. */
    public List<QuarantineStore.Quarantined> quarantined(boolean includeReplayed) {
        return quarantine.quarantined(includeReplayed);
    }

    /**
     * Parses and stores a quarantined message again (after a fix), from its raw copy, or from the mailbox by UID when
     * it was never downloaded. Returns the outcome as a sentence for the admin.
     */
    public String replay(long quarantineId) {
        return replays.replay(quarantineId);
    }
}
