package dispatch.standin.mail;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

/** A real IMAP and SMTP server (GreenMail) with the dispatch mailbox, its INBOX and a Sent folder. */
public final class MailServer implements AutoCloseable {

    public static final String ADDRESS = "dispatch@example.test";
    public static final String PASSWORD = "dispatch";
    public static final String SENT = "Sent";

    private final GreenMail greenMail;
    private final GreenMailUser user;

    private MailServer(GreenMail greenMail, GreenMailUser user) {
        this.greenMail = greenMail;
        this.user = user;
    }

    /** Starts on the given loopback ports; 0 picks free ones. */
    public static MailServer start(int imapPort, int smtpPort) {
        ServerSetup imap = new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        GreenMail greenMail = new GreenMail(
                new ServerSetup[] {imapPort == 0 ? imap.dynamicPort() : imap, smtpPort == 0 ? smtp.dynamicPort() : smtp
                });
        greenMail.start();
        GreenMailUser user = greenMail.setUser(ADDRESS, ADDRESS, PASSWORD);
        try {
            greenMail.getManagers().getImapHostManager().createMailbox(user, SENT);
        } catch (Exception e) {
            greenMail.stop();
            throw new IllegalStateException("Cannot create the Sent folder", e);
        }
        return new MailServer(greenMail, user);
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public GreenMail greenMail() {
        return greenMail;
    }

    /** Puts a raw RFC 5322 message into a folder, as a mail client or the delivery agent would. */
    public void append(String folderName, byte[] rfc822) {
        try {
            MimeMessage message =
                    new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(rfc822));
            folder(folderName).appendMessage(message, new Flags(), new Date());
        } catch (MessagingException | FolderException e) {
            throw new IllegalStateException("Cannot append to " + folderName, e);
        }
    }

    /** What SMTP delivered to the mailbox of this address (GreenMail makes one per recipient), oldest first. */
    public List<MimeMessage> deliveredTo(String address) {
        GreenMailUser recipient = greenMail.getUserManager().getUserByEmail(address);
        if (recipient == null) return List.of();
        try {
            return greenMail.getManagers().getImapHostManager().getInbox(recipient).getMessages().stream()
                    .map(StoredMessage::getMimeMessage)
                    .toList();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code action} once, in the SMTP session that delivers the next mail to {@code address}: the server has the
     * mail, its sender has not yet heard so (the session answers after every delivery). For crashes "after the send".
     */
    public void onNextDeliveryTo(String address, Runnable action) {
        UserManager users = greenMail.getUserManager();
        MessageDeliveryHandler normal = users.getMessageDeliveryHandler();
        AtomicBoolean ran = new AtomicBoolean();
        users.setMessageDeliveryHandler((message, to) -> {
            GreenMailUser recipient = normal.handle(message, to);
            if (to.getEmail().equalsIgnoreCase(address) && ran.compareAndSet(false, true)) {
                users.setMessageDeliveryHandler(normal);
                action.run();
            }
            return recipient;
        });
    }

    public int messageCount(String folderName) {
        try {
            return folder(folderName).getMessageCount();
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The highest UID in a folder (0 when empty). */
    public long highestUid(String folderName) {
        try {
            long highest = 0;
            for (long uid : folder(folderName).getMessageUids()) {
                highest = Math.max(highest, uid);
            }
            return highest;
        } catch (FolderException e) {
            throw new IllegalStateException(e);
        }
    }

    private MailFolder folder(String name) throws FolderException {
        return "INBOX".equalsIgnoreCase(name)
                ? greenMail.getManagers().getImapHostManager().getInbox(user)
                : greenMail.getManagers().getImapHostManager().getFolder(user, name, true);
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
