package dispatch.incident;

import dispatch.incident.IncidentProperties.AfterClosing;
import dispatch.mail.StoredMail;
import java.time.Duration;
import java.time.Instant;

/**
 * What a mail does to the closed incident it belongs to (README "Mail after closing"); "from outside" is
 * {@link StoredMail#fromOutside}.
 */
enum MailToClosed {
    /** After the reopen window, from outside: a new incident that continues the closed one. */
    NEW_INCIDENT,
    /** After the reopen window, not from outside: recorded as belonging to the incident, nothing more. */
    LINK,
    /** Within the window, from outside, {@link AfterClosing#REOPEN}: the incident is unfinished again. */
    REOPEN,
    /** Within the window, from outside, {@link AfterClosing#ASK_FOR_NEW_REQUEST}: attached; the sender is told. */
    ATTACH_AND_TELL,
    /** Within the window, not from outside: attached, the incident stays closed. */
    ATTACH;

    /** {@code now} stands in for a mail without a date. */
    static MailToClosed of(StoredMail mail, Instant finishedAt, Instant now, Duration reopenWindow, AfterClosing rule) {
        boolean fromOutside = mail.fromOutside();
        Instant arrived = mail.sentAt() != null ? mail.sentAt() : now;
        if (Duration.between(finishedAt, arrived).compareTo(reopenWindow) > 0) {
            return fromOutside ? NEW_INCIDENT : LINK;
        }
        if (!fromOutside) {
            return ATTACH;
        }
        return rule == AfterClosing.REOPEN ? REOPEN : ATTACH_AND_TELL;
    }
}
