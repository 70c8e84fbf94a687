package dispatch.mail;

import org.springframework.test.context.DynamicPropertyRegistry;

/** Points the service's IMAP account at the Dovecot of {@code scripts/dovecot.sh} instead of GreenMail. */
public final class DovecotAccount {

    private DovecotAccount() {}

    /** The whole account: Spring Boot takes a list (accounts[..]) from one property source. */
    public static void register(DynamicPropertyRegistry registry, int port, String user, String password) {
        String account = "dispatch.mail.accounts[0].";
        registry.add(account + "name", () -> "dispatch");
        registry.add(account + "host", () -> "127.0.0.1");
        registry.add(account + "port", () -> port);
        registry.add(account + "security", () -> "NONE");
        registry.add(account + "username", () -> user);
        registry.add(account + "password", () -> password);
        registry.add(account + "sent-folder", () -> "Sent");
        registry.add(account + "idle", () -> "false");
    }
}
