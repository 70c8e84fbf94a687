package dispatch.incident;

import dispatch.mail.MatchMethod;

/**
 * What an incident event records ({@code incident_event.kind}; the name is the stored text). Events explain an
 * incident's life to a person; some are also read back (how often a mail asked for a new request, whether an
 * auto-reply went out).
 */
public enum IncidentEventKind {
    /** An open Tracker issue older than this installation was taken on as an incident (decision 0021). */
    ADOPTED,
    /** A mail after the reopen window opened this incident as the continuation of a closed one. */
    CONTINUES,
    /** A mail pointed at more than one incident; recorded on each (decision 0002). */
    THREADING_CONFLICT,
    /** An admin moved mail here, or away from here ({@code _OUT}). */
    MANUAL_MOVE,
    MANUAL_MOVE_OUT,
    /** An admin split mail off into this new incident, or away from here ({@code _OUT}). */
    MANUAL_SPLIT,
    MANUAL_SPLIT_OUT,
    /** A dispatcher set a notify status in Tracker: the command and its id (decision 0019). */
    STATUS_COMMAND,
    /** The assignee in Tracker is not a known dispatcher (once per login). */
    ASSIGNEE_NOT_A_DISPATCHER,
    /** The sender of a mail to the closed incident was asked to write a new request. */
    NEW_REQUEST_ASKED,
    /** An auto-reply is about to be handed to SMTP (decision 0015). */
    AUTO_REPLY_SENDING,
    /** An auto-reply was sent. */
    AUTO_REPLY_SENT;

    /** The events an admin's move or split records on the incident the mail went to and on the ones it left. */
    static IncidentEventKind movedIn(MatchMethod method) {
        return switch (method) {
            case MANUAL_MOVE -> MANUAL_MOVE;
            case MANUAL_SPLIT -> MANUAL_SPLIT;
            default -> throw new IllegalArgumentException("not an admin's move: " + method);
        };
    }

    static IncidentEventKind movedOut(MatchMethod method) {
        return movedIn(method) == MANUAL_MOVE ? MANUAL_MOVE_OUT : MANUAL_SPLIT_OUT;
    }
}
