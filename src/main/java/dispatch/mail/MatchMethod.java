package dispatch.mail;

import org.jspecify.annotations.Nullable;

/**
 * How a stored mail was threaded: the rule that linked it to its incident, or why it is not linked. Threading
 * decides it; it is stored on the mail ({@code email_message.match_method}), so every link can be explained.
 */
public enum MatchMethod {
    IN_REPLY_TO,
    REFERENCES,
    /** A reply to this mail was stored before it (the mail is the late original). */
    REPLY_ARRIVED_FIRST,
    /** One of our own signed Message-IDs names the incident. */
    OWN_MESSAGE_ID,
    /** Another reply to the same unseen original is already threaded. */
    SIBLING_REPLY,
    /** The incident's code or Tracker key in the subject, from a sender the incident knows. */
    SUBJECT_CODE,
    NEW_INCIDENT,
    /** Would open a new incident, but its sender is over the flood limit: held until released. */
    HELD,
    /** A new incident continuing a closed one the mail replies to. */
    CONTINUES_CLOSED,
    /** An earlier mail without an incident, linked when a reply to it was threaded. */
    LINKED_BY_REPLY,
    AUTO_REPLY_IGNORED,
    TRACKER_UNMATCHED,
    SENT_UNMATCHED,
    SELF_UNMATCHED,
    /** An admin moved the mail (and its followers) to another incident. */
    MANUAL_MOVE,
    /** An admin split the mail (and its followers) off into a new incident. */
    MANUAL_SPLIT,
    /** Threading failed on a database error: tried again later. */
    RETRY,
    /** Threading failed for another reason: waits for a person. */
    PARKED,
    /** Brought over from the old service with its incident (legacy-import); never threaded again. */
    IMPORTED,
    /** Brought over from the old service without an incident (none, or one that was not imported). */
    IMPORTED_UNLINKED;

    /** The method stored under this name; null for null (a mail waiting for threading). */
    public static @Nullable MatchMethod of(@Nullable String name) {
        return name == null ? null : valueOf(name);
    }

    /** Set aside after a failure, not threaded: {@link #RETRY} or {@link #PARKED}. */
    public boolean setAside() {
        return this == RETRY || this == PARKED;
    }

    /** The mail opened its incident (a new one, or one continuing a closed incident). */
    public boolean opening() {
        return this == NEW_INCIDENT || this == CONTINUES_CLOSED;
    }
}
