package dispatch.mail;

import dispatch.mail.FolderReader.Fetched;
import dispatch.mail.MessageWriter.Item;
import dispatch.mail.MessageWriter.Outcome;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.IOException;
import java.util.NoSuchElementException;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Replays a quarantined message (after a fix): parses it again from its raw copy, or fetches it from the mailbox by
 * UID when it was never downloaded, and stores it as the intake would have.
 */
final class MailReplay {

    private final MailProperties settings;
    private final ImapConnector connector = new ImapConnector();
    private final MailStore store;
    private final QuarantineStore quarantine;
    private final FolderReader reader;
    private final MessageWriter writer;
    private final TransactionTemplate transaction;
    private final IntakeMetrics meters;

    MailReplay(
            MailProperties settings,
            MailStore store,
            QuarantineStore quarantine,
            FolderReader reader,
            MessageWriter writer,
            TransactionTemplate transaction,
            IntakeMetrics meters) {
        this.settings = settings;
        this.store = store;
        this.quarantine = quarantine;
        this.reader = reader;
        this.writer = writer;
        this.transaction = transaction;
        this.meters = meters;
    }

    /** Returns the outcome as a sentence for the admin. */
    String replay(long quarantineId) {
        QuarantineStore.Quarantined q = quarantine
                .quarantinedById(quarantineId)
                .orElseThrow(() -> new NoSuchElementException("no quarantined message " + quarantineId));
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
        } catch (IOException | MessagingException e) {
            return "replay failed: " + e.getMessage();
        }
        if (fetched.mail() == null) {
            return "still failing: " + fetched.failure();
        }
        long folderId = store.checkpoint(account.name(), q.folder(), q.role()).folderId();
        FolderRef folder = new FolderRef(account.name(), role, folderId, q.uidValidity());
        Outcome outcome = transaction.execute(tx -> {
            Outcome o = writer.writeOne(new Item(folder, fetched));
            if (o != Outcome.QUARANTINED) quarantine.markReplayed(quarantineId);
            return o;
        });
        return switch (outcome) {
            case STORED -> {
                meters.stored(folder, fetched.mail());
                yield "stored";
            }
            case DUPLICATE -> "already stored (same Message-ID)";
            case QUARANTINED -> {
                meters.quarantined(folder, 1);
                yield "still failing; see the quarantine reason";
            }
        };
    }

    private Fetched refetch(MailProperties.Account account, FolderRole role, QuarantineStore.Quarantined q)
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
