package dispatch.mail;

/** Where a message comes from and whether a person wrote it. */
record Classification(Origin origin, AutoKind autoKind, Bounce bounce) {

    enum Origin {
        /** Written by a carrier, contractor or colleague. */
        EXTERNAL,
        /** Sent by Yandex Tracker's own mail integration. */
        TRACKER,
        /** Sent by Dispatch itself (its own Message-ID). */
        SELF
    }

    enum AutoKind {
        NONE,
        AUTO_REPLY,
        BOUNCE
    }

    /** What a delivery status notification says about the failed delivery. */
    record Bounce(String finalRecipient, String status, String originalMessageId) {}
}
