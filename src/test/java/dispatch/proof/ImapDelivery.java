package dispatch.proof;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** Appends raw mails to a folder of the loopback IMAP server (the proof's Dovecot), no TLS. */
final class ImapDelivery {

    private final int port;
    private final String user;
    private final String password;
    private final Path spool;

    ImapDelivery(int port, String user, String password, Path spool) {
        this.port = port;
        this.user = user;
        this.password = password;
        this.spool = spool;
    }

    /** Appends the spooled mails to INBOX, deleting each once the server took it; the rest waits for the next run. */
    void deliverSpooled() {
        try (Stream<Path> files = Files.list(spool)) {
            List<Path> waiting = files.sorted().toList();
            if (waiting.isEmpty()) {
                return;
            }
            for (Path file : waiting) {
                append("INBOX", List.of(Files.readAllBytes(file)));
                Files.delete(file);
            }
        } catch (IOException | MessagingException | RuntimeException e) {
            System.err.println("IMAP delivery waits: " + e);
        }
    }

    /** Appends the mails in one connection, in order. */
    void append(String folderName, List<byte[]> mails) throws MessagingException, IOException {
        Properties props = new Properties();
        props.put("mail.imap.connectiontimeout", "10000");
        props.put("mail.imap.timeout", "60000");
        Session session = Session.getInstance(props);
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", port, user, password);
            // Not opened: APPEND works on a closed folder (and closing one that is not open throws).
            Folder folder = store.getFolder(folderName);
            MimeMessage[] messages = new MimeMessage[mails.size()];
            for (int i = 0; i < mails.size(); i++) {
                try (InputStream in = new ByteArrayInputStream(mails.get(i))) {
                    messages[i] = new MimeMessage(session, in);
                }
            }
            folder.appendMessages(messages);
        }
    }
}
