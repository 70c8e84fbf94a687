package dispatch.mail;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A stored message as threading and the Tracker feature read it.
 *
 * @param id row id
 * @param messageId normalised Message-ID (no angle brackets)
 * @param references References in header order (oldest first)
 * @param outbound found in a Sent folder
 * @param incidentId the incident it belongs to, if threaded and linked
 * @param matchMethod how it was threaded; null while waiting for threading
 */
public record StoredMail(
        long id,
        String messageId,
        String inReplyTo,
        List<String> references,
        String subject,
        String fromAddress,
        Instant sentAt,
        boolean outbound,
        MailOrigin origin,
        AutoKind autoKind,
        String bodyText,
        Long incidentId,
        @Nullable MatchMethod matchMethod) {

    public boolean automatic() {
        return autoKind != AutoKind.NONE;
    }

    public boolean external() {
        return origin == MailOrigin.EXTERNAL;
    }

    /** A person's mail from outside: not one we sent, not Tracker's or our own notification, not automatic. */
    public boolean fromOutside() {
        return !outbound && external() && !automatic();
    }
}
