package dispatch.mail;

import dispatch.mail.ImapFetch.Meta;
import dispatch.mail.InboundStore.Held;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Downloads the messages of one open folder by UID, batch by batch, and later keeps their raw copies on disk and
 * parses them locally. Whatever is wrong with one message (the server's answer for it, its bytes, its parse) becomes
 * that message's failure; only the connection failing is thrown. Holds no database transaction.
 */
final class FolderReader {

    /** One downloaded message: parsed, or the reason it could not be. */
    record Fetched(long uid, Instant internalDate, String rawSha256, long rawSize, ParsedMail mail, String failure) {}

    /** At most this much message data in one grouped FETCH, so the heap holds a group, not the backlog. */
    static final long PREFETCH_BYTES = 8L * 1024 * 1024;
    /** Larger messages stream to disk in chunks of {@link #CHUNK} bytes instead. */
    private static final long SMALL_BYTES = PREFETCH_BYTES / 4;

    private static final int CHUNK = 1024 * 1024;

    private final FileStore files;
    private final MimeParser parser;
    private final Clock clock;

    FolderReader(FileStore files, MimeParser parser, Clock clock) {
        this.files = files;
        this.parser = parser;
        this.clock = clock;
    }

    /**
     * What the server sent for a message: its bytes (small messages, in the heap), its raw copy (large ones, already
     * on disk), or why nothing came. Reading it further needs no folder, so it can be parsed while the folder fetches
     * the next batch.
     */
    record Downloaded(long uid, Instant internalDate, byte[] bytes, FileStore.Raw raw, String failure) {}

    /**
     * The part of a read that waits for the server: one FETCH of sizes and dates for the batch, then small messages
     * whole in one FETCH per group of at most {@link #PREFETCH_BYTES}, then large ones one by one in chunks.
     */
    List<Downloaded> download(IMAPFolder folder, List<Long> batch) throws MessagingException {
        Map<Long, Meta> meta = ImapFetch.meta(folder, batch);
        Map<Long, byte[]> small = new HashMap<>();
        List<Long> group = new ArrayList<>();
        long groupBytes = 0;
        for (long uid : batch) {
            Meta m = meta.get(uid);
            if (m == null || m.size() < 0 || m.size() > SMALL_BYTES) continue;
            if (groupBytes + m.size() > PREFETCH_BYTES && !group.isEmpty()) {
                small.putAll(ImapFetch.bodies(folder, group));
                group.clear();
                groupBytes = 0;
            }
            group.add(uid);
            groupBytes += m.size();
        }
        small.putAll(ImapFetch.bodies(folder, group));
        List<Downloaded> result = new ArrayList<>();
        for (long uid : batch) {
            Meta m = meta.get(uid);
            Instant internalDate = m != null && m.internalDate() != null ? m.internalDate() : clock.instant();
            byte[] bytes = small.remove(uid);
            // A message missing from the grouped answer is asked for alone; if that fails too, it is its failure.
            result.add(
                    bytes != null
                            ? new Downloaded(uid, internalDate, bytes, null, null)
                            : stream(folder, uid, internalDate));
        }
        return result;
    }

    private Downloaded stream(IMAPFolder folder, long uid, Instant internalDate) throws MessagingException {
        try {
            FileStore.Raw raw = files.storeRaw(out -> ImapFetch.stream(folder, uid, CHUNK, out), false);
            return new Downloaded(uid, internalDate, null, raw, null);
        } catch (ImapFetch.Refused e) {
            return new Downloaded(uid, internalDate, null, null, "download failed: " + e.getMessage());
        } catch (IOException e) {
            // The data directory failing is not about this message: the batch stops and is read again.
            throw new UncheckedIOException(e);
        }
    }

    /** Downloads and parses one message again (quarantine replay of a message that was never downloaded). */
    Fetched fetchOne(IMAPFolder folder, long uid) throws MessagingException {
        return readOne(download(folder, List.of(uid)).get(0));
    }

    /** Keeps the raw copy of a staged message and parses it. */
    Fetched parse(InboundStore.Staged staged, InboundSpool spool) {
        byte[] bytes;
        try {
            if (staged.bytes() instanceof Held.RawCopy copy) {
                return reparse(staged.uid(), staged.internalDate(), copy.sha256());
            }
            bytes = staged.bytes() instanceof Held.Spooled file
                    ? spool.read(file.file(), file.offset(), staged.size())
                    : ((Held.InRow) staged.bytes()).raw();
        } catch (NoSuchFileException e) {
            // Someone removed it from the data directory: quarantined without a raw copy, so replay refetches it.
            return new Fetched(staged.uid(), staged.internalDate(), null, -1, null, "staged copy missing: " + e);
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Cannot read the staged copy of UID " + staged.uid(), e);
        }
        return readOne(new Downloaded(staged.uid(), staged.internalDate(), bytes, null, null));
    }

    /** Parses a message again from its stored raw copy (quarantine replay). */
    Fetched reparse(long uid, Instant internalDate, String sha256) throws IOException, MessagingException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(files.rawPath(sha256)));
                FileStore.Raw raw = files.storeRaw(in::transferTo, false)) {
            return parse(uid, internalDate, raw);
        }
    }

    private Fetched readOne(Downloaded d) {
        if (d.failure() != null) {
            return new Fetched(d.uid(), d.internalDate(), null, -1, null, d.failure());
        }
        try (FileStore.Raw raw = d.raw() != null ? d.raw() : files.storeRaw(out -> out.write(d.bytes()), true)) {
            return parse(d.uid(), d.internalDate(), raw);
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException("Cannot keep the raw copy of UID " + d.uid(), e);
        }
    }

    private Fetched parse(long uid, Instant internalDate, FileStore.Raw raw) {
        try (InputStream in = raw.open()) {
            MimeMessage parsed = new MimeMessage(MimeParser.SESSION, in);
            ParsedMail mail = parser.parse(parsed, raw.sha256, internalDate, clock.instant());
            return new Fetched(uid, internalDate, raw.sha256, raw.size, mail, null);
        } catch (IOException | MessagingException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // An Error here comes from this message's structure (bounded by MimeParser's limits, but a library may
            // still recurse or allocate on its own): the message is quarantined, the folder goes on.
            return new Fetched(uid, internalDate, raw.sha256, raw.size, null, "parse failed: " + describe(e));
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    static <T> List<List<T>> batches(List<T> items, int size) {
        List<List<T>> result = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            result.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return result;
    }
}
