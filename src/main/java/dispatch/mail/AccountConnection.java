package dispatch.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Store;

/**
 * The IMAP connection of one account for the folders read in one pass: opened when the first folder needs it and
 * reused by the next (a login costs the server a process and a user lookup; Dovecot takes about 50 ms), dropped after
 * a failure so the next folder starts on a fresh one.
 */
final class AccountConnection implements AutoCloseable {

    private final ImapConnector connector;
    private final MailProperties.Account account;
    private Store store;

    AccountConnection(ImapConnector connector, MailProperties.Account account) {
        this.connector = connector;
        this.account = account;
    }

    MailProperties.Account account() {
        return account;
    }

    Store store() throws MessagingException {
        if (store == null) store = connector.connect(account);
        return store;
    }

    /** Forgets a connection that failed (or may have): the next {@link #store()} logs in again. */
    void drop() {
        close();
    }

    @Override
    public void close() {
        if (store == null) return;
        try {
            store.close();
        } catch (MessagingException e) {
            // already broken: nothing to release on the server
        } finally {
            store = null;
        }
    }
}
