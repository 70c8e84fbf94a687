package dispatch.mail;

import jakarta.mail.Folder;
import jakarta.mail.FolderNotFoundException;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.util.List;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.BASE64MailboxDecoder;

/** Finds and opens (read-only) the INBOX and Sent folders of an account. */
final class FolderNames {

    /** A name in IMAP's modified UTF-7 ({@code &BB4EQgQ,...-}), as the old service's settings were written. */
    private static final Pattern MODIFIED_UTF7 = Pattern.compile(".*&[A-Za-z0-9+,]+-.*");

    private static final List<String> COMMON_SENT_NAMES =
            List.of("Sent", "Отправленные", "Sent Items", "Sent Messages", "INBOX.Sent", "INBOX/Sent");

    private FolderNames() {}

    static IMAPFolder open(Store store, MailProperties.Account account, FolderRole role) throws MessagingException {
        IMAPFolder folder = (IMAPFolder) store.getFolder(name(store, account, role));
        if (!folder.exists()) {
            throw new FolderNotFoundException(
                    folder, "folder '" + folder.getFullName() + "' of " + account + " does not exist");
        }
        // Read-only (EXAMINE): Dispatch never changes flags, moves or deletes mail.
        folder.open(Folder.READ_ONLY);
        return folder;
    }

    static String name(Store store, MailProperties.Account account, FolderRole role) throws MessagingException {
        if (role == FolderRole.INBOX) {
            return decode(account.inboxFolder());
        }
        if (account.sentFolder() != null && !account.sentFolder().isBlank()) {
            return decode(account.sentFolder().strip());
        }
        for (Folder f : store.getDefaultFolder().list("*")) {
            if (f instanceof IMAPFolder imap) {
                for (String attribute : imap.getAttributes()) {
                    if ("\\Sent".equalsIgnoreCase(attribute)) {
                        return imap.getFullName();
                    }
                }
            }
        }
        for (String candidate : COMMON_SENT_NAMES) {
            if (store.getFolder(candidate).exists()) {
                return candidate;
            }
        }
        throw new FolderNotFoundException(
                store.getDefaultFolder(),
                "no Sent folder marked \\Sent on " + account + ": set DISPATCH_MAIL_ACCOUNTS_n_SENTFOLDER");
    }

    /** Accepts plain UTF-8 names and modified UTF-7 ones; JavaMail encodes names itself. */
    static String decode(String name) {
        return name != null && MODIFIED_UTF7.matcher(name).matches() ? BASE64MailboxDecoder.decode(name) : name;
    }
}
