package dispatch.mail;

import dispatch.platform.FeatureSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The watched mailboxes and the SMTP server used for auto-replies.
 *
 * @param accounts IMAP accounts; each has an INBOX and a Sent folder
 * @param pollInterval the safety {@code UID SEARCH} interval, also used when the server has no IDLE
 * @param batchSize how many messages one fetch transaction stages, and one parse transaction stores
 * @param parseThreads threads that parse staged mail in parallel (decision 0016)
 * @param maxAttachmentSize attachments above it are recorded by name and size only
 * @param messageIdDomain domain of the Message-IDs Dispatch puts on its own mail; default: the domain of
 *     {@code smtp.from}
 * @param robotSenders addresses or {@code @domain}s of alarm robots whose automatic mail still opens incidents
 * @param limits bounds on the work one mail can cause
 */
@Validated
@ConfigurationProperties("dispatch.mail")
public record MailProperties(
        @DefaultValue("true") boolean enabled,
        @Valid @DefaultValue List<Account> accounts,
        @NotNull @DefaultValue("30s") Duration pollInterval,
        @Min(1) @Max(1000) @DefaultValue("100") int batchSize,
        @Min(1) @Max(32) @DefaultValue("2") int parseThreads,
        @NotNull @DefaultValue("48MB") DataSize maxAttachmentSize,
        String messageIdDomain,
        @DefaultValue List<String> robotSenders,
        @Valid @NotNull @DefaultValue Smtp smtp,
        @Valid @NotNull @DefaultValue Limits limits)
        implements FeatureSettings {

    /**
     * Bounds on the work one mail can cause; the raw copy always keeps the whole message (README, "Hostile mail").
     *
     * @param maxParts MIME parts read per mail; the rest are named in a note and stay in the raw copy
     * @param maxHeaderSize a mail whose header section is larger is quarantined
     * @param maxTextChars characters of body text (and of HTML) stored per mail; the rest is cut with a note
     */
    public record Limits(
            @Min(1) @DefaultValue("500") int maxParts,
            @NotNull @DefaultValue("256KB") DataSize maxHeaderSize,
            @Min(1000) @DefaultValue("1000000") int maxTextChars) {}

    /** Transport security of a mail connection. */
    public enum Security {
        /** Implicit TLS (IMAPS 993, SMTPS 465). */
        SSL,
        /** Plain connect, then STARTTLS (required). */
        STARTTLS,
        /** No encryption: only for the embedded test server on loopback. */
        NONE
    }

    /**
     * One IMAP account.
     *
     * @param name a short label used in metrics and logs
     * @param sentFolder the Sent folder, in plain UTF-8 or modified UTF-7; blank = found by SPECIAL-USE {@code \Sent}
     * @param idle whether to use IMAP IDLE on INBOX (falls back to polling when the server lacks it)
     */
    public record Account(
            @DefaultValue("main") String name,
            String host,
            @DefaultValue("993") int port,
            @NotNull @DefaultValue("SSL") Security security,
            String username,
            String password,
            @DefaultValue("INBOX") String inboxFolder,
            String sentFolder,
            @DefaultValue("true") boolean idle) {

        @Override
        public String toString() {
            return "Account[" + name + " " + username + "@" + host + ":" + port + "]";
        }
    }

    /**
     * SMTP used to send auto-replies.
     *
     * @param from the address auto-replies are sent from (normally the dispatch mailbox itself)
     */
    public record Smtp(
            String host,
            @DefaultValue("465") int port,
            @NotNull @DefaultValue("SSL") Security security,
            String username,
            String password,
            String from,
            @NotNull @DefaultValue("30s") Duration timeout) {

        @Override
        public String toString() {
            return "Smtp[" + username + "@" + host + ":" + port + "]";
        }
    }

    /** The domain of our own Message-IDs. */
    public String ownMessageIdDomain() {
        if (!FeatureSettings.blank(messageIdDomain)) {
            return messageIdDomain.trim();
        }
        String from = smtp.from();
        return from != null && from.contains("@")
                ? from.substring(from.lastIndexOf('@') + 1).trim()
                : "dispatch.local";
    }

    @Override
    public String feature() {
        return "mail";
    }

    @Override
    public List<String> missingWhenEnabled() {
        List<String> missing = new ArrayList<>();
        if (accounts.isEmpty()) {
            missing.add("accounts[0].host");
        }
        for (int i = 0; i < accounts.size(); i++) {
            Account account = accounts.get(i);
            if (FeatureSettings.blank(account.host())) missing.add("accounts[" + i + "].host");
            if (FeatureSettings.blank(account.username())) missing.add("accounts[" + i + "].username");
            if (FeatureSettings.blank(account.password())) missing.add("accounts[" + i + "].password");
        }
        if (FeatureSettings.blank(smtp.host())) missing.add("smtp.host");
        if (FeatureSettings.blank(smtp.from())) missing.add("smtp.from");
        return missing;
    }

    @Override
    public String summary() {
        return accounts + ", SMTP " + smtp.host() + ":" + smtp.port();
    }
}
