package dispatch.mail;

/** Which way a mail went: to the dispatch mailbox or from it ({@code email_message.direction} holds the name). */
public enum Direction {
    INBOUND,
    OUTBOUND
}
