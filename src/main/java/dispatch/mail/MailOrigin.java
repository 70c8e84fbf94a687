package dispatch.mail;

/** Where a stored message comes from. */
public enum MailOrigin {
    /** Written by a carrier, contractor or colleague. */
    EXTERNAL,
    /** Sent by Yandex Tracker's own mail integration. */
    TRACKER,
    /** Sent by Dispatch itself (its own Message-ID). */
    SELF
}
