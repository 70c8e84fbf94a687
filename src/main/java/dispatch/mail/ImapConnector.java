package dispatch.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.Properties;

/** Opens IMAP stores for configured accounts. */
class ImapConnector {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    Store connect(MailProperties.Account account) throws MessagingException {
        String protocol = MailSessions.protocol("imap", account.security());
        Properties props = MailSessions.properties(protocol, account.security(), CONNECT_TIMEOUT, READ_TIMEOUT);
        String p = "mail." + protocol + ".";
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
