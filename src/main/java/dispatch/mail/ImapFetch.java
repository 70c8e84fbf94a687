package dispatch.mail;

import jakarta.mail.MessagingException;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.eclipse.angus.mail.iap.BadCommandException;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.CommandFailedException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BODY;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.INTERNALDATE;
import org.eclipse.angus.mail.imap.protocol.RFC822SIZE;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.eclipse.angus.mail.imap.protocol.UIDSet;

/**
 * The intake's IMAP commands, by UID, without ENVELOPE: only UID, INTERNALDATE, RFC822.SIZE and the raw bytes are
 * asked for, so nothing the server says about a message's headers has to be parsed by the client (decision 0013).
 * Answers are taken per UID: a UID the server refused or answered unreadably is simply absent from the result, and
 * the caller decides what that means. Connection failures are thrown.
 */
final class ImapFetch {

    /** What the server knows about a message without reading it. */
    record Meta(long uid, Instant internalDate, long size) {}

    private ImapFetch() {}

    /** UIDs above {@code afterUid}, ascending ("UID n:*" always returns the last message, even below n: filtered). */
    static List<Long> uidsAfter(IMAPFolder folder, long afterUid) throws MessagingException {
        List<Long> uids = new ArrayList<>();
        fetch(folder, (afterUid + 1) + ":*", "UID", (uid, f) -> {
            if (uid > afterUid) uids.add(uid);
        });
        uids.sort(null);
        return uids;
    }

    /** INTERNALDATE and RFC822.SIZE of the messages, by UID; a UID missing from the answer is missing here. */
    static Map<Long, Meta> meta(IMAPFolder folder, List<Long> uids) throws MessagingException {
        Map<Long, Meta> result = new TreeMap<>();
        fetchTolerant(folder, uids, "UID RFC822.SIZE INTERNALDATE", (uid, f) -> {
            INTERNALDATE date = f.getItem(INTERNALDATE.class);
            RFC822SIZE size = f.getItem(RFC822SIZE.class);
            Date d = date == null ? null : date.getDate();
            result.put(uid, new Meta(uid, d == null ? null : d.toInstant(), size == null ? -1 : size.size));
        });
        return result;
    }

    /** Whole messages in one command ({@code BODY.PEEK[]}), by UID; refused or unreadable ones are missing. */
    static Map<Long, byte[]> bodies(IMAPFolder folder, List<Long> uids) throws MessagingException {
        Map<Long, byte[]> result = new TreeMap<>();
        fetchTolerant(folder, uids, "UID BODY.PEEK[]", (uid, f) -> {
            BODY body = f.getItem(BODY.class);
            if (body != null && body.getByteArray() != null) {
                result.put(uid, body.getByteArray().getNewBytes());
            }
        });
        return result;
    }

    /**
     * Streams one message to {@code out} in chunks ({@code BODY.PEEK[]<offset.length>}), so a large message never
     * sits in the heap. Throws {@link Refused} when the server refuses it or sends nothing.
     */
    static void stream(IMAPFolder folder, long uid, int chunk, OutputStream out)
            throws MessagingException, IOException {
        long offset = 0;
        while (true) {
            ByteArray[] got = new ByteArray[1];
            fetch(folder, String.valueOf(uid), "UID BODY.PEEK[]<" + offset + "." + chunk + ">", (u, f) -> {
                BODY body = f.getItem(BODY.class);
                if (u == uid && body != null) got[0] = body.getByteArray();
            });
            if (got[0] == null) {
                if (offset == 0) throw new Refused("the server sent no content for UID " + uid);
                return;
            }
            out.write(got[0].getBytes(), got[0].getStart(), got[0].getCount());
            offset += got[0].getCount();
            if (got[0].getCount() < chunk) return;
        }
    }

    /** A command the server answered with NO or BAD: about these messages, not the connection. */
    static final class Refused extends MessagingException {
        Refused(String message) {
            super(message);
        }
    }

    /** One command for all; if the server refuses it, one per UID, so that only the refused UIDs are missing. */
    private static void fetchTolerant(
            IMAPFolder folder, List<Long> uids, String items, BiConsumer<Long, FetchResponse> each)
            throws MessagingException {
        if (uids.isEmpty()) return;
        try {
            fetch(folder, uidSet(uids), items, each);
        } catch (Refused e) {
            if (uids.size() == 1) return;
            for (long uid : uids) {
                try {
                    fetch(folder, String.valueOf(uid), items, each);
                } catch (Refused alone) {
                    // absent from the result: the caller records why
                }
            }
        }
    }

    /**
     * {@code UID FETCH set (items)}: answers carrying a UID go to {@code each}, everything else (EXISTS, EXPUNGE,
     * flag updates) to the folder as usual. An answer the client cannot parse is dropped by the protocol layer, and
     * so its UID is absent.
     */
    private static void fetch(IMAPFolder folder, String set, String items, BiConsumer<Long, FetchResponse> each)
            throws MessagingException {
        try {
            folder.doCommand(p -> {
                Response[] responses = p.command("UID FETCH " + set + " (" + items + ")", null);
                Response last = responses[responses.length - 1];
                for (int i = 0; i < responses.length; i++) {
                    if (responses[i] instanceof FetchResponse f && f.getItem(UID.class) != null) {
                        each.accept(f.getItem(UID.class).uid, f);
                        responses[i] = null;
                    }
                }
                p.notifyResponseHandlers(responses);
                p.handleResult(last);
                return null;
            });
        } catch (MessagingException e) {
            if (e.getCause() instanceof CommandFailedException || e.getCause() instanceof BadCommandException) {
                throw new Refused("the server refused UID FETCH " + abbreviate(set) + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private static String uidSet(List<Long> uids) {
        return UIDSet.toString(
                UIDSet.createUIDSets(uids.stream().mapToLong(Long::longValue).toArray()));
    }

    private static String abbreviate(String set) {
        return set.length() > 40 ? set.substring(0, 40) + "…" : set;
    }
}
