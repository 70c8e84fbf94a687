package dispatch.autoreply;

import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Who an auto-reply answers and what the hand-over quotes, read from the incident's mail (docs/domain.md,
 * "Auto-replies"). No database, no clock: {@link Drafts} brings the mail and renders the result.
 */
final class DraftRules {

    /** A quoted mail text is cut at this many characters. */
    static final int PREVIEW = 1024;

    private DraftRules() {}

    /**
     * The mail whose sender the answer goes to: the one that opened the incident, else the earliest mail from a
     * person outside (never ours, Tracker's or an automatic one); null when there is none.
     *
     * @param correspondence the incident's mail, oldest first
     */
    static @Nullable StoredMail requesterMail(List<StoredMail> correspondence) {
        List<StoredMail> fromOutside = correspondence.stream()
                .filter(m -> m.fromOutside() && m.fromAddress() != null)
                .toList();
        return fromOutside.stream()
                .filter(m -> m.matchMethod() != null && m.matchMethod().opening())
                .findFirst()
                .orElse(fromOutside.isEmpty() ? null : fromOutside.get(0));
    }

    /** Who the answer goes to: a web form's requester (the form's robot is not one), else Reply-To, else the sender. */
    static List<String> requesters(StoredMail first, Recipients recipients, Optional<WebForm> form) {
        return form.map(f -> List.of(f.requester()))
                .orElse(recipients.replyTo().isEmpty() ? List.of(first.fromAddress()) : recipients.replyTo());
    }

    /** Who is copied: a web form's observers, then everyone the first mail went to (To, then Cc). */
    static List<String> copied(Recipients recipients, Optional<WebForm> form) {
        List<String> all = new ArrayList<>(form.map(WebForm::observers).orElse(List.of()));
        all.addAll(recipients.to());
        all.addAll(recipients.cc());
        return all;
    }

    /**
     * The hand-over's correspondence: oldest first, numbered from 1, without automatic or empty mail, each text cut
     * at {@link #PREVIEW} characters; {@code shown} renders a date for people.
     */
    static List<Map<String, Object>> history(List<StoredMail> correspondence, Function<Instant, String> shown) {
        List<Map<String, Object>> history = new ArrayList<>();
        for (StoredMail mail : correspondence) {
            if (mail.automatic() || mail.bodyText() == null || mail.bodyText().isBlank()) continue;
            String body = mail.bodyText().strip();
            history.add(Map.of(
                    "number", history.size() + 1,
                    "sentAt", mail.sentAt() == null ? "—" : shown.apply(mail.sentAt()),
                    "text", body.length() > PREVIEW ? body.substring(0, PREVIEW) + " ..." : body));
        }
        return history;
    }

    /** "latitude, longitude", or empty when either is unknown. */
    static String coordinates(@Nullable Double latitude, @Nullable Double longitude) {
        boolean located = latitude != null && longitude != null && !latitude.isNaN() && !longitude.isNaN();
        return located ? latitude + ", " + longitude : "";
    }
}
