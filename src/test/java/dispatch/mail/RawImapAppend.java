package dispatch.mail;

import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.iap.Literal;
import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;

/** IMAP APPEND of raw bytes as they are (Jakarta Mail's appendMessages would parse and rewrite them first). */
public final class RawImapAppend {

    private RawImapAppend() {}

    /** Appends each message to the folder; returns the UIDs the server gave them, in order. */
    public static List<Long> append(
            String host, int port, String user, String password, String folder, List<byte[]> mails)
            throws MessagingException {
        List<Long> uids = new ArrayList<>();
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect(host, port, user, password);
            IMAPFolder target = (IMAPFolder) store.getFolder(folder);
            for (byte[] mail : mails) {
                AppendUID uid =
                        (AppendUID) target.doCommand(p -> p.appenduid(folder, new Flags(), new Date(), literal(mail)));
                uids.add(uid == null ? -1 : uid.uid);
            }
        }
        return uids;
    }

    private static Literal literal(byte[] bytes) {
        return new Literal() {
            @Override
            public int size() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws java.io.IOException {
                out.write(bytes);
            }
        };
    }
}
