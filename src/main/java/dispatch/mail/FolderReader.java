package dispatch.mail;

import jakarta.mail.FetchProfile;
import jakarta.mail.FolderClosedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.StoreClosedException;
import jakarta.mail.UIDFolder;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPMessage;

/**
 * Downloads the messages of one open folder above a UID, batch by batch, keeps their raw copies on disk and parses
 * them. Holds no database transaction: the caller stores each batch in one.
 */
final class FolderReader {

    /** One downloaded message: parsed, or the reason it could not be. */
    record Fetched(long uid, Instant internalDate, String rawSha256, long rawSize, ParsedMail mail, String failure) {}

    static final long PREFETCH_BYTES = 8L * 1024 * 1024;

    private final FileStore files;
    private final MimeParser parser;
    private final Clock clock;

    FolderReader(FileStore files, MimeParser parser, Clock clock) {
        this.files = files;
        this.parser = parser;
        this.clock = clock;
    }

    /**
     * UIDs above {@code afterUid}, oldest first. ("UID n:*" always returns the last message, even below n: an IMAP
     * quirk, filtered here.)
     */
    static List<Message> messagesAfter(IMAPFolder folder, long afterUid) throws MessagingException {
        Message[] messages = folder.getMessagesByUID(afterUid + 1, UIDFolder.MAXUID);
        FetchProfile uids = new FetchProfile();
        uids.add(UIDFolder.FetchProfileItem.UID);
        folder.fetch(messages, uids);
        List<Message> result = new ArrayList<>();
        for (Message m : messages) {
            if (m != null && folder.getUID(m) > afterUid) {
                result.add(m);
            }
        }
        result.sort(Comparator.comparingLong(m -> uid(folder, m)));
        return result;
    }

    /**
     * A message whose envelope, and body if small, came from the server: reading it further needs no folder lock, so
     * it can be parsed while the folder fetches the next batch.
     */
    record Downloaded(Message message, long uid, Instant internalDate, boolean small) {}

    /** The part of a read that waits for the server: a batch's envelopes and small bodies. */
    List<Downloaded> download(IMAPFolder folder, List<Message> batch) throws MessagingException {
        FetchProfile headers = new FetchProfile();
        headers.add(UIDFolder.FetchProfileItem.UID);
        headers.add(FetchProfile.Item.ENVELOPE);
        folder.fetch(batch.toArray(Message[]::new), headers);
        prefetchSmallBodies(folder, batch);
        List<Downloaded> result = new ArrayList<>();
        for (Message m : batch) {
            Instant internalDate =
                    m.getReceivedDate() != null ? m.getReceivedDate().toInstant() : clock.instant();
            result.add(new Downloaded(m, folder.getUID(m), internalDate, isSmall(m)));
        }
        return result;
    }

    /**
     * Keeps and parses downloaded messages, then drops their bodies from the folder's message cache (which keeps
     * every message object until the folder closes), so the heap holds a batch, not the backlog.
     */
    List<Fetched> read(IMAPFolder folder, List<Downloaded> batch) throws MessagingException {
        List<Fetched> result = new ArrayList<>();
        for (Downloaded d : batch) {
            result.add(readOne(folder, d));
        }
        batch.forEach(d -> {
            if (d.message() instanceof IMAPMessage imap) imap.invalidateHeaders();
        });
        return result;
    }

    Fetched fetchOne(IMAPFolder folder, Message message) throws MessagingException {
        return read(folder, download(folder, List.of(message))).get(0);
    }

    private static boolean isSmall(Message m) throws MessagingException {
        return m.getSize() <= PREFETCH_BYTES / 4;
    }

    /**
     * Small messages are fetched whole in one command per group (one round trip instead of one per message); a group
     * holds at most {@link #PREFETCH_BYTES}, so the heap stays bounded. Large messages stream to disk one by one.
     */
    static void prefetchSmallBodies(IMAPFolder folder, List<Message> batch) throws MessagingException {
        FetchProfile whole = new FetchProfile();
        whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
        List<Message> group = new ArrayList<>();
        long groupBytes = 0;
        for (Message m : batch) {
            if (!isSmall(m)) {
                continue;
            }
            long size = Math.max(0, m.getSize());
            if (groupBytes + size > PREFETCH_BYTES && !group.isEmpty()) {
                folder.fetch(group.toArray(Message[]::new), whole);
                group.clear();
                groupBytes = 0;
            }
            group.add(m);
            groupBytes += size;
        }
        if (!group.isEmpty()) {
            folder.fetch(group.toArray(Message[]::new), whole);
        }
    }

    /** Parses a message again from its stored raw copy (quarantine replay). */
    Fetched reparse(long uid, Instant internalDate, String sha256) throws IOException, MessagingException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(files.rawPath(sha256)));
                FileStore.Raw raw = files.storeRaw(in::transferTo, false)) {
            return parse(uid, internalDate, raw);
        }
    }

    private Fetched readOne(IMAPFolder folder, Downloaded d) throws MessagingException {
        // Small messages are in the heap already, and so may be their copy for parsing.
        try (FileStore.Raw raw = files.storeRaw(d.message()::writeTo, d.small())) {
            return parse(d.uid(), d.internalDate(), raw);
        } catch (FolderClosedException | StoreClosedException e) {
            throw e;
        } catch (IOException | MessagingException | RuntimeException e) {
            if (!folder.isOpen()) {
                throw new FolderClosedException(folder, e.getMessage());
            }
            return new Fetched(d.uid(), d.internalDate(), null, -1, null, "download failed: " + describe(e));
        }
    }

    private Fetched parse(long uid, Instant internalDate, FileStore.Raw raw) {
        try (InputStream in = raw.open()) {
            MimeMessage parsed = new MimeMessage(MimeParser.SESSION, in);
            ParsedMail mail = parser.parse(parsed, raw.sha256, internalDate, clock.instant());
            return new Fetched(uid, internalDate, raw.sha256, raw.size, mail, null);
        } catch (IOException | MessagingException | RuntimeException e) {
            return new Fetched(uid, internalDate, raw.sha256, raw.size, null, "parse failed: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static long uid(IMAPFolder folder, Message m) {
        try {
            return folder.getUID(m);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<List<Message>> batches(List<Message> messages, int size) {
        List<List<Message>> result = new ArrayList<>();
        for (int i = 0; i < messages.size(); i += size) {
            result.add(messages.subList(i, Math.min(messages.size(), i + size)));
        }
        return result;
    }
}
