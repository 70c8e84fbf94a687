package dispatch.mail;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a stored message says, as the parser read it.
 *
 * @param sentAt the Date header, or the server's delivery time when the header is missing or too far ahead of it
 * @param declaredSentAt the Date header when the delivery time replaced it (too far in the future), else null
 */
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
        @Nullable Instant declaredSentAt,
        String bodyText,
        String bodyHtml,
        List<Attachment> attachments,
        Classification classification,
        List<String> notes) {

    /** The same mail with every text as the database accepts it ({@link SafeText#clean}). */
    ParsedMail clean() {
        Classification.Bounce b = classification.bounce();
        return new ParsedMail(
                SafeText.clean(messageId),
                messageIdSynthetic,
                inReplyTo.stream().map(SafeText::clean).toList(),
                references.stream().map(SafeText::clean).toList(),
                SafeText.clean(subject),
                from == null ? null : from.clean(),
                to.stream().map(Address::clean).toList(),
                cc.stream().map(Address::clean).toList(),
                replyTo.stream().map(Address::clean).toList(),
                sentAt,
                declaredSentAt,
                SafeText.clean(bodyText),
                SafeText.clean(bodyHtml),
                attachments.stream().map(Attachment::clean).toList(),
                b == null
                        ? classification
                        : new Classification(
                                classification.origin(),
                                classification.autoKind(),
                                new Classification.Bounce(
                                        SafeText.clean(b.finalRecipient()),
                                        SafeText.clean(b.status()),
                                        SafeText.clean(b.originalMessageId()))),
                notes.stream().map(SafeText::clean).toList());
    }

    /** A mailbox; {@code address} is null when the text could not be parsed, and the text is kept as name. */
    record Address(String address, String name) {

        Address clean() {
            return new Address(SafeText.clean(address), SafeText.clean(name));
        }
    }

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
            String skippedReason) {

        Attachment clean() {
            return new Attachment(
                    SafeText.clean(fileName),
                    SafeText.clean(contentType),
                    size,
                    sha256,
                    inline,
                    SafeText.clean(contentId),
                    SafeText.clean(skippedReason));
        }
    }
}
