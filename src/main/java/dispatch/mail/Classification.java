package dispatch.mail;

/** Where a message comes from and whether a person wrote it. */
record Classification(MailOrigin origin, AutoKind autoKind, Bounce bounce) {

    /** What a delivery status notification says about the failed delivery. */
    record Bounce(String finalRecipient, String status, String originalMessageId) {}
}
