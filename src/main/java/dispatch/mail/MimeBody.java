package dispatch.mail;

import dispatch.mail.ParsedMail.Attachment;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.util.unit.DataSize;

/**
 * The body of a mail as {@link MimeParser} reads it: the first plain and HTML text, everything else an attachment on
 * disk, within the depth and parts limits. A broken part becomes a note, never a lost message.
 */
final class MimeBody {

    /** Multiparts nested deeper are not read (real mail nests a few levels; the raw copy keeps the rest). */
    static final int MAX_DEPTH = 32;

    private final FileStore files;
    private final long maxAttachmentSize;
    private final MailProperties.Limits limits;

    MimeBody(FileStore files, long maxAttachmentSize, MailProperties.Limits limits) {
        this.files = files;
        this.maxAttachmentSize = maxAttachmentSize;
        this.limits = limits;
    }

    static final class Body {
        final StringBuilder text = new StringBuilder();
        String html;
        final List<Attachment> attachments = new ArrayList<>();
        int parts;
        int skippedParts;
        boolean tooDeep;
    }

    /** Depth-first over the parts, at most {@link #MAX_DEPTH} multiparts deep and {@code maxParts} leaves. */
    void walk(Part part, Body body, List<String> notes, int depth) throws MessagingException, IOException {
        if (part.isMimeType("multipart/*")) {
            if (depth >= MAX_DEPTH) {
                body.tooDeep = true;
                return;
            }
            Multipart multipart = (Multipart) part.getContent();
            // Only the human-readable first part of a report is the body; the report parts are read by the classifier.
            int count = part.isMimeType("multipart/report") ? Math.min(1, multipart.getCount()) : multipart.getCount();
            for (int i = 0; i < count; i++) {
                if (body.parts >= limits.maxParts()) {
                    body.skippedParts += count - i;
                    return;
                }
                walkChild(multipart.getBodyPart(i), body, notes, depth + 1);
            }
            return;
        }
        body.parts++;
        if (part.isMimeType("message/rfc822") || isAttachment(part)) {
            body.attachments.add(attachment(part));
            return;
        }
        if (part.isMimeType("text/html")) {
            if (body.html == null) {
                body.html = decodeText(part, textBytes());
            } else {
                body.attachments.add(attachment(part));
            }
            return;
        }
        if (part.isMimeType("text/plain") && body.text.isEmpty()) {
            body.text.append(decodeText(part, textBytes()));
            return;
        }
        body.attachments.add(attachment(part));
    }

    private void walkChild(BodyPart child, Body body, List<String> notes, int depth)
            throws MessagingException, IOException {
        try {
            walk(child, body, notes, depth);
        } catch (MessagingException | IOException | RuntimeException e) {
            notes.add("unreadable part skipped: " + e.getMessage());
        }
    }

    private static boolean isAttachment(Part part) throws MessagingException {
        String disposition = part.getDisposition();
        if (Part.ATTACHMENT.equalsIgnoreCase(disposition)) {
            return true;
        }
        if (part.isMimeType("text/plain") || part.isMimeType("text/html")) {
            return disposition != null && part.getFileName() != null && !Part.INLINE.equalsIgnoreCase(disposition);
        }
        return !part.isMimeType("text/*") && !part.isMimeType("multipart/*");
    }

    private Attachment attachment(Part part) throws MessagingException, IOException {
        String contentType = baseType(part);
        String contentId = part instanceof MimePart mime ? contentId(mime.getContentID()) : null;
        boolean inline = Part.INLINE.equalsIgnoreCase(part.getDisposition())
                || (contentId != null && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition()));
        String name = fileName(part);
        FileStore.Stored stored;
        try (InputStream in = part.isMimeType("message/rfc822") ? rawContent(part) : part.getInputStream()) {
            stored = files.storeAttachment(in, maxAttachmentSize);
        }
        String skipped = stored.sha256() == null
                ? "larger than the " + DataSize.ofBytes(maxAttachmentSize) + " limit; content not kept"
                : null;
        return new Attachment(
                FileNames.sanitise(name, contentType),
                contentType,
                stored.size(),
                stored.sha256(),
                inline,
                contentId,
                skipped);
    }

    private static String contentId(String header) {
        if (header == null) {
            return null;
        }
        String id = header.strip().replaceAll("^<|>$", "").strip();
        return id.isEmpty() ? null : MessageIds.bounded(id);
    }

    private static InputStream rawContent(Part part) throws MessagingException, IOException {
        return part.getInputStream();
    }

    private static String fileName(Part part) throws MessagingException {
        String name = null;
        try {
            name = part.getFileName();
        } catch (MessagingException | RuntimeException e) {
            // a broken parameter: fall through to the name parameter of Content-Type
        }
        if (name != null) {
            name = EncodedWords.decodeWords(name);
        }
        if ((name == null || name.isBlank()) && part.isMimeType("message/rfc822")) {
            try {
                Object content = part.getContent();
                if (content instanceof MimeMessage forwarded && forwarded.getSubject() != null) {
                    name = EncodedWords.decode(forwarded.getHeader("Subject", " ")) + ".eml";
                }
            } catch (IOException | MessagingException | RuntimeException e) {
                // unnamed forwarded mail
            }
            if (name == null || name.isBlank()) {
                name = "forwarded.eml";
            }
        }
        return name;
    }

    private static String baseType(Part part) throws MessagingException {
        try {
            return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "application/octet-stream";
        }
    }

    /** Enough bytes for {@code maxTextChars} characters in any charset; the rest is not decoded at all. */
    private int textBytes() {
        return (int) Math.min(Integer.MAX_VALUE - 16, 4L * limits.maxTextChars() + 4);
    }

    private static String decodeText(Part part, int maxBytes) throws MessagingException, IOException {
        String charset = null;
        try {
            charset = new ContentType(part.getContentType()).getParameter("charset");
        } catch (MessagingException | RuntimeException e) {
            // no usable charset: detected from the bytes
        }
        byte[] bytes;
        try (InputStream in = part.getInputStream()) {
            bytes = in.readNBytes(maxBytes);
        }
        return Charsets.decode(bytes, charset);
    }
}
