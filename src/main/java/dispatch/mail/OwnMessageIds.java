package dispatch.mail;

import dispatch.platform.SecretKeys;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Message-IDs of the mail Dispatch sends: {@code <INC-1042.k3j4h5q9.3f9c0a1b2c4d@domain>}. The incident code and a
 * MAC over it travel with every reply's In-Reply-To/References, so a reply finds its incident even when our own copy
 * is not in the mailbox, while a forged id does not. The key is generated once and kept in the database, so every
 * instance and every restart agree on it.
 */
@Component
public class OwnMessageIds {

    private static final Pattern OWN =
            Pattern.compile("^([A-Za-z][A-Za-z0-9]*-\\d+)\\.([a-z0-9]{8,32})\\.([0-9a-f]{16})@(.+)$");
    private static final String KEY_NAME = "mail.own-message-id-key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<byte[]> keySource;
    private final String domain;

    @Autowired
    OwnMessageIds(SecretKeys keys, MailProperties settings) {
        this(() -> keys.key(KEY_NAME), settings.ownMessageIdDomain());
    }

    OwnMessageIds(Supplier<byte[]> keySource, String domain) {
        this.keySource = keySource;
        this.domain = domain;
    }

    /** Whether a Message-ID was made by Dispatch: its whole domain part is ours (the From header is never trusted). */
    public boolean isOwn(String messageId) {
        return messageId != null
                && messageId.lastIndexOf('@') > 0
                && messageId.substring(messageId.lastIndexOf('@') + 1).equalsIgnoreCase(domain);
    }

    /** A new Message-ID (without angle brackets) for a mail about the incident with this code. */
    public String generate(String incidentCode) {
        byte[] nonceBytes = new byte[8];
        RANDOM.nextBytes(nonceBytes);
        String nonce = new java.math.BigInteger(1, nonceBytes).toString(36);
        return generate(incidentCode, "0".repeat(Math.max(0, 8 - nonce.length())) + nonce);
    }

    /**
     * The Message-ID for a mail about this incident with a nonce the caller chose (8–32 of {@code [a-z0-9]}): the
     * same arguments give the same id, so a retried send can look for the mail an earlier attempt sent.
     */
    public String generate(String incidentCode, String nonce) {
        if (!nonce.matches("[a-z0-9]{8,32}")) {
            throw new IllegalArgumentException("nonce must be 8-32 of [a-z0-9]: " + nonce);
        }
        return incidentCode + "." + nonce + "." + mac(incidentCode + "." + nonce) + "@" + domain;
    }

    /** The incident code carried by one of our own Message-IDs, if the id is ours and unforged. */
    public Optional<String> incidentCode(String messageId) {
        if (messageId == null) {
            return Optional.empty();
        }
        Matcher m = OWN.matcher(messageId);
        if (!m.matches() || !m.group(4).equalsIgnoreCase(domain)) {
            return Optional.empty();
        }
        return SecretKeys.same(mac(m.group(1) + "." + m.group(2)), m.group(3))
                ? Optional.of(m.group(1))
                : Optional.empty();
    }

    private String mac(String text) {
        return SecretKeys.hmac(keySource.get(), text, 8);
    }
}
