package dispatch.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.Properties;

/** Opens IMAP stores for configured accounts with explicit timeouts (JavaMail's default is to wait forever). */
class ImapConnector {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    Store connect(MailProperties.Account account) throws MessagingException {
        String protocol = account.security() == MailProperties.Security.SSL ? "imaps" : "imap";
        Properties props = new Properties();
        String p = "mail." + protocol + ".";
        props.put(p + "connectiontimeout", String.valueOf(CONNECT_TIMEOUT.toMillis()));
        props.put(p + "timeout", String.valueOf(READ_TIMEOUT.toMillis()));
        props.put(p + "writetimeout", String.valueOf(READ_TIMEOUT.toMillis()));
        if (account.security() == MailProperties.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (account.security() != MailProperties.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        // Bodies come in 1 MB chunks: a large message streams to disk without sitting in the heap.
        props.put(p + "fetchsize", String.valueOf(1024 * 1024));
        props.put(p + "peek", "true");
        // Folder names like "Отправленные" are sent as UTF-8 when the server enables it, modified UTF-7 otherwise.
        props.put(p + "enableutf8", "true");
        Store store = Session.getInstance(props).getStore(protocol);
        store.connect(account.host(), account.port(), account.username(), account.password());
        return store;
    }
}
