package dispatch.bench;

import dispatch.standin.mail.MailServer;
import jakarta.mail.FetchProfile;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The floor the intake is measured against: bare Jakarta Mail reading every message of INBOX to a null sink, with the
 * intake's connection settings and (in {@link Mode#GROUPED}) its fetch strategy, but no parsing, hashing, disk or
 * database.
 */
final class ImapBaseline {

    /** How message bodies are fetched. */
    enum Mode {
        /**
         * As the intake: UID, INTERNALDATE and RFC822.SIZE per batch (no ENVELOPE, decision 0013), then whole
         * messages up to 2 MB in one FETCH per group of 8 MB, larger ones by {@code writeTo} in 1 MB chunks.
         */
        GROUPED,
        /** The naive way: one {@code writeTo} (one BODY.PEEK[] round trip) per message. */
        PER_MESSAGE
    }

    /** Same values as {@code FolderReader} and {@code MailProperties.batchSize}'s default. */
    private static final int BATCH_SIZE = 100;

    private static final long GROUP_BYTES = 8L * 1024 * 1024;

    record Result(int messages, long bytes, long nanos) {

        double perSecond() {
            return messages / (nanos / 1e9);
        }
    }

    private ImapBaseline() {}

    /** Reads the first {@code limit} messages of INBOX. */
    static Result read(int imapPort, Mode mode, int limit) throws MessagingException, IOException {
        long start = System.nanoTime();
        try (Store store = session().getStore("imap")) {
            store.connect("127.0.0.1", imapPort, MailServer.ADDRESS, MailServer.PASSWORD);
            IMAPFolder folder = (IMAPFolder) store.getFolder("INBOX");
            folder.open(Folder.READ_ONLY);
            try {
                Message[] found = folder.getMessagesByUID(1, UIDFolder.MAXUID);
                Message[] all = Arrays.copyOf(found, Math.min(limit, found.length));
                FetchProfile uids = new FetchProfile();
                uids.add(UIDFolder.FetchProfileItem.UID);
                folder.fetch(all, uids);
                CountingSink sink = new CountingSink();
                for (int i = 0; i < all.length; i += BATCH_SIZE) {
                    Message[] batch = Arrays.copyOfRange(all, i, Math.min(all.length, i + BATCH_SIZE));
                    FetchProfile meta = new FetchProfile();
                    meta.add(UIDFolder.FetchProfileItem.UID);
                    meta.add(FetchProfile.Item.SIZE);
                    meta.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
                    folder.fetch(batch, meta);
                    if (mode == Mode.GROUPED) {
                        prefetch(folder, batch);
                    }
                    for (Message m : batch) {
                        m.writeTo(sink);
                    }
                }
                return new Result(all.length, sink.bytes, System.nanoTime() - start);
            } finally {
                folder.close(false);
            }
        }
    }

    /** Small messages whole, in one FETCH per group of at most 8 MB (bare Jakarta Mail's FetchProfile). */
    private static void prefetch(IMAPFolder folder, Message[] batch) throws MessagingException {
        FetchProfile whole = new FetchProfile();
        whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
        List<Message> group = new ArrayList<>();
        long groupBytes = 0;
        for (Message m : batch) {
            long size = Math.max(0, m.getSize());
            if (size > GROUP_BYTES / 4) continue;
            if (groupBytes + size > GROUP_BYTES && !group.isEmpty()) {
                folder.fetch(group.toArray(Message[]::new), whole);
                group.clear();
                groupBytes = 0;
            }
            group.add(m);
            groupBytes += size;
        }
        if (!group.isEmpty()) folder.fetch(group.toArray(Message[]::new), whole);
    }

    /** The settings {@code ImapConnector} uses for a plain (loopback) account. */
    private static Session session() {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "60000");
        props.put("mail.imap.writetimeout", "60000");
        props.put("mail.imap.fetchsize", String.valueOf(1024 * 1024));
        props.put("mail.imap.peek", "true");
        props.put("mail.imap.enableutf8", "true");
        return Session.getInstance(props);
    }

    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) {
            bytes++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            bytes += len;
        }
    }
}
