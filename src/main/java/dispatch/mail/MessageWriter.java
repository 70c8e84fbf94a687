package dispatch.mail;

import dispatch.mail.FolderReader.Fetched;
import dispatch.platform.LogContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes parsed mail in the caller's transaction: the message rows with their details and sightings, or a quarantine
 * row with the reason. Message-ID uniqueness makes a second write of the same mail a duplicate, not a second row.
 */
final class MessageWriter {

    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);

    /** A parsed (or unparsable) message and the folder read it came from. */
    record Item(FolderRef folder, Fetched fetched) {}

    enum Outcome {
        STORED,
        DUPLICATE,
        QUARANTINED
    }

    private final MailStore store;
    private final QuarantineStore quarantine;
    private final MailProperties settings;
    private final ApplicationEventPublisher events;
    /** A savepoint in the caller's transaction (JDBC transactions nest as savepoints). */
    private final TransactionTemplate savepoint;

    MessageWriter(
            MailStore store,
            QuarantineStore quarantine,
            MailProperties settings,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions) {
        this.store = store;
        this.quarantine = quarantine;
        this.settings = settings;
        this.events = events;
        this.savepoint = new TransactionTemplate(transactions);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /**
     * Writes a batch: first in one go (a few JDBC batches) under a savepoint; if the database refuses anything, again
     * message by message under savepoints, so that only the refused message is quarantined. Events are published
     * once the batch is written (listeners act after commit).
     */
    List<Outcome> write(List<Item> batch) {
        List<Object> published = new ArrayList<>();
        List<Outcome> outcomes;
        try {
            outcomes = savepoint.execute(tx -> insert(batch, published));
        } catch (RuntimeException e) {
            log.debug("Batch of {} mails refused as a whole, storing one by one: {}", batch.size(), e.toString());
            published.clear();
            outcomes =
                    batch.stream().map(item -> writeIsolated(item, published)).toList();
        }
        publish(published);
        return outcomes;
    }

    void publish(List<Object> published) {
        published.forEach(events::publishEvent);
    }

    /** One message under a savepoint: if the database refuses it, it is quarantined with the reason. */
    Outcome writeOne(Item item) {
        List<Object> published = new ArrayList<>();
        Outcome outcome = writeIsolated(item, published);
        published.forEach(events::publishEvent);
        return outcome;
    }

    private Outcome writeIsolated(Item item, List<Object> published) {
        List<Object> own = new ArrayList<>();
        ParsedMail mail = item.fetched().mail();
        try (var logged = LogContext.put(LogContext.MESSAGE_ID, mail == null ? null : mail.messageId())) {
            Outcome outcome = savepoint.execute(tx -> insert(List.of(item), own).get(0));
            published.addAll(own);
            return outcome;
        } catch (RuntimeException e) {
            return quarantine(item, "store failed: " + e.getMessage(), published);
        }
    }

    /** Inserts parsed messages with their details and sightings, and quarantines the unparsed ones. */
    private List<Outcome> insert(List<Item> batch, List<Object> published) {
        List<Outcome> outcomes = new ArrayList<>();
        Map<Long, ParsedMail> inserted = new LinkedHashMap<>();
        List<MailStore.Sighting> sightings = new ArrayList<>();
        for (Item item : batch) {
            Fetched f = item.fetched();
            FolderRef folder = item.folder();
            if (f.mail() == null) {
                outcomes.add(quarantine(item, f.failure(), published));
                continue;
            }
            Direction direction = direction(folder.role(), f.mail());
            var id = store.insertMessage(
                    f.mail(), folder.id(), f.uid(), direction, f.internalDate(), f.rawSha256(), f.rawSize());
            long rowId = id.orElseGet(() -> store.idOf(f.mail().messageId()));
            sightings.add(new MailStore.Sighting(folder.id(), folder.uidValidity(), f.uid(), rowId));
            if (id.isPresent()) {
                inserted.put(rowId, f.mail());
                published.add(new MailReceived(rowId, direction == Direction.OUTBOUND));
            }
            outcomes.add(id.isPresent() ? Outcome.STORED : Outcome.DUPLICATE);
        }
        store.insertDetails(inserted);
        store.recordSightings(sightings);
        return outcomes;
    }

    /**
     * Mail written from the dispatch mailbox itself is outbound in any folder: a dispatcher who copies the mailbox
     * puts the same message in INBOX and Sent, and whichever is read first must not make it look like a carrier's.
     */
    private Direction direction(FolderRole role, ParsedMail mail) {
        if (role == FolderRole.SENT) {
            return FolderRole.SENT.direction;
        }
        String from = mail.from() == null ? null : mail.from().address();
        boolean ours = from != null
                && (from.equalsIgnoreCase(settings.smtp().from())
                        || settings.accounts().stream().anyMatch(a -> from.equalsIgnoreCase(a.username())));
        return ours ? FolderRole.SENT.direction : role.direction;
    }

    /** Quarantines a message (in the caller's transaction) with its reason and, when the bytes came, its raw copy. */
    Outcome quarantine(Item item, String reason, List<Object> published) {
        FolderRef folder = item.folder();
        Fetched f = item.fetched();
        log.warn("Quarantined message UID {} of {}: {}", f.uid(), folder, reason);
        quarantine.quarantine(
                folder.id(),
                folder.uidValidity(),
                f.uid(),
                f.rawSha256(),
                f.rawSize() < 0 ? null : f.rawSize(),
                reason);
        published.add(new MailQuarantined(folder.id(), f.uid(), reason));
        return Outcome.QUARANTINED;
    }
}
