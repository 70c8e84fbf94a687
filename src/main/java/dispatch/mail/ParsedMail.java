package dispatch.mail;

import java.time.Instant;
import java.util.List;

/** What a stored message says, as the parser read it. */
record ParsedMail(
        String messageId,
        boolean messageIdSynthetic,
        List<String> inReplyTo,
        List<String> references,
        String subject,
        Address from,
        List<Address> to,
        List<Address> cc,
        List<Address> replyTo,
        Instant sentAt,
        String bodyText,
        String bodyHtml,
        List<Attachment> attachments,
        Classification classification,
        List<String> notes) {

    /** A mailbox; {@code address} is null when the text could not be parsed, and the text is kept as name. */
    record Address(String address, String name) {}

    /**
     * An attachment or inline image, its content already stored under its SHA-256 (null when skipped).
     *
     * @param size decoded size in bytes, also when the content was skipped
     */
    record Attachment(
            String fileName,
            String contentType,
            long size,
            String sha256,
            boolean inline,
            String contentId,
            String skippedReason) {}
}
