package dispatch.mail;

/** Whether a machine answered instead of a person: such mail never opens an incident or gets a reply. */
public enum AutoKind {
    NONE,
    /** An out-of-office or other automatic reply. */
    AUTO_REPLY,
    /** A delivery status notification (a bounce). */
    BOUNCE
}
