package dispatch.mail;

import dispatch.mail.ParsedMail.Address;
import dispatch.mail.ParsedMail.Attachment;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.springframework.util.unit.DataSize;

/**
 * Reads a stored raw message into what a dispatcher needs: decoded headers, readable text, attachments on disk.
 * Lenient by design: a broken part, address or date becomes a note, never a lost message.
 */
final class MimeParser {

    static {
        // jakarta.mail-api 2.1 finds its StreamProvider with a ServiceLoader scan of the class path for every header
        // block, body part and encoded word it decodes (jakartaee/mail-api#699, #861): a third of the parse time.
        // Named by this system property, it is one Class.forName instead.
        if (System.getProperty(StreamProvider.class.getName()) == null) {
            System.setProperty(StreamProvider.class.getName(), "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    /** Session settings for parsing mail as it is found in the wild. */
    static final Session SESSION = Session.getInstance(parsingProperties());

    /**
     * How far a Date may be ahead of the server's delivery time (INTERNALDATE) before the delivery time replaces it: a
     * robot with a wrong zone would otherwise shift the SLA start by hours (docs/sla.md). Minutes cover clock skew.
     */
    static final Duration DATE_TOLERANCE = Duration.ofMinutes(5);
    /** Multiparts nested deeper are not read (real mail nests a few levels; the raw copy keeps the rest). */
    static final int MAX_DEPTH = 32;

    private final FileStore files;
    private final Classifier classifier;
    private final long maxAttachmentSize;
    private final MailProperties.Limits limits;

    MimeParser(FileStore files, Classifier classifier, long maxAttachmentSize, MailProperties.Limits limits) {
        this.files = files;
        this.classifier = classifier;
        this.maxAttachmentSize = maxAttachmentSize;
        this.limits = limits;
    }

    /** Reads a message within the {@link MailProperties.Limits}; throws when its header section is over them. */
    ParsedMail parse(MimeMessage message, String rawSha256, Instant internalDate, Instant now)
            throws MessagingException, IOException {
        checkHeaderSize(message);
        List<String> notes = new ArrayList<>();
        String rawId = message.getHeader("Message-ID", null);
        String messageId = MessageIds.first(rawId);
        boolean synthetic = messageId == null;
        if (synthetic) {
            messageId = rawSha256 + "@synthetic.dispatch";
            notes.add(rawId == null ? "no Message-ID header" : "unusable Message-ID header: " + rawId.strip());
        }
        String subject = EncodedWords.decode(message.getHeader("Subject", " "));
        Address from = firstOrNull(addresses(message, "From"));
        Instant declared = declaredDate(message, internalDate, notes);
        Instant reference = internalDate != null ? internalDate : now;
        Instant sentAt = declared == null ? internalDate : declared;
        Instant replaced = null;
        if (declared != null && declared.isAfter(reference.plus(DATE_TOLERANCE))) {
            notes.add("Date " + declared + " is after the delivery time " + reference + "; delivery time used");
            sentAt = reference;
            replaced = declared;
        }

        Body body = new Body();
        try {
            walk(message, body, notes, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            notes.add("MIME structure partly unreadable: " + e.getMessage());
            if (body.text.isEmpty() && body.html == null) {
                body.text.append(fallbackText(message));
            }
        }
        if (body.tooDeep) {
            notes.add("multiparts nested deeper than " + MAX_DEPTH + " levels not read; they are in the raw copy");
        }
        if (body.skippedParts > 0) {
            notes.add(body.skippedParts + " MIME parts beyond the limit of " + limits.maxParts()
                    + " not read; they are in the raw copy");
        }
        String html = bounded(body.html, "HTML", notes);
        String text = bounded(
                body.text.isEmpty() && html != null ? HtmlText.toText(html) : body.text.toString(), "text", notes);

        Classification classification =
                classifier.classify(message, messageId, subject, from == null ? null : from.address());
        return new ParsedMail(
                        messageId,
                        synthetic,
                        MessageIds.parse(message.getHeader("In-Reply-To", " ")),
                        MessageIds.parse(message.getHeader("References", " ")),
                        subject,
                        from,
                        addresses(message, "To"),
                        concat(addresses(message, "Cc"), addresses(message, "Bcc")),
                        addresses(message, "Reply-To"),
                        sentAt,
                        replaced,
                        HtmlText.normalise(text.replace("\r\n", "\n").replace('\r', '\n')),
                        html,
                        body.attachments,
                        classification,
                        notes)
                .clean();
    }

    private void checkHeaderSize(MimeMessage message) throws MessagingException {
        long size = 0;
        for (var lines = message.getAllHeaderLines(); lines.hasMoreElements(); ) {
            size += lines.nextElement().length() + 2;
        }
        if (size > limits.maxHeaderSize().toBytes()) {
            throw new MessagingException("header section of " + size + " bytes is over the limit of "
                    + limits.maxHeaderSize() + " (DISPATCH_MAIL_LIMITS_MAXHEADERSIZE)");
        }
    }

    private String bounded(String text, String what, List<String> notes) {
        if (text == null || text.length() <= limits.maxTextChars()) {
            return text;
        }
        notes.add(what + " cut at " + limits.maxTextChars() + " of " + text.length()
                + " characters; the raw copy has all of it");
        return SafeText.truncate(text, limits.maxTextChars());
    }

    /** The Date header, or null (with a note) when it is missing or unreadable. */
    private static Instant declaredDate(MimeMessage message, Instant internalDate, List<String> notes)
            throws MessagingException {
        String raw = message.getHeader("Date", null);
        Date date = null;
        try {
            date = message.getSentDate();
        } catch (MessagingException | RuntimeException e) {
            // unparsable: handled below
        }
        if (date == null) {
            notes.add(
                    raw == null
                            ? "no Date header; delivery time used"
                            : "unparsable Date '" + raw.strip() + "'; delivery time used");
            return null;
        }
        return date.toInstant();
    }

    private static final class Body {
        final StringBuilder text = new StringBuilder();
        String html;
        final List<Attachment> attachments = new ArrayList<>();
        int parts;
        int skippedParts;
        boolean tooDeep;
    }

    /** Depth-first over the parts, at most {@link #MAX_DEPTH} multiparts deep and {@code maxParts} leaves. */
    private void walk(Part part, Body body, List<String> notes, int depth) throws MessagingException, IOException {
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

    private static String fallbackText(MimeMessage message) {
        try (InputStream in = message.getRawInputStream()) {
            return Charsets.decode(in.readNBytes(1024 * 1024), null);
        } catch (IOException | MessagingException e) {
            return "";
        }
    }

    private static List<Address> addresses(MimeMessage message, String header) throws MessagingException {
        String raw = message.getHeader(header, ",");
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        String unfolded = MimeUtility.unfold(raw);
        try {
            List<Address> result = new ArrayList<>();
            InternetAddress[] parsed = InternetAddress.parseHeader(unfolded, false);
            for (InternetAddress a : parsed) {
                String address = a.getAddress();
                boolean valid = address != null && address.indexOf('@') > 0 && !address.contains("@@");
                String name = a.getPersonal() != null ? EncodedWords.decode(a.getPersonal()) : null;
                // A malformed address is kept as the text a person would read, never a reason to drop the mail.
                String asText = parsed.length == 1 ? unfolded : a.toUnicodeString();
                result.add(
                        valid
                                ? new Address(address, blankToNull(name))
                                : new Address(null, EncodedWords.decode(asText).replace("\"", "")));
            }
            return result;
        } catch (AddressException | RuntimeException e) {
            return List.of(new Address(null, EncodedWords.decode(unfolded).replace("\"", "")));
        }
    }

    private static List<Address> concat(List<Address> a, List<Address> b) {
        List<Address> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Address firstOrNull(List<Address> addresses) {
        return addresses.isEmpty() ? null : addresses.get(0);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Properties parsingProperties() {
        Properties p = new Properties();
        p.put("mail.mime.allowutf8", "true");
        p.put("mail.mime.address.strict", "false");
        p.put("mail.mime.decodetext.strict", "false");
        p.put("mail.mime.decodefilename", "true");
        p.put("mail.mime.decodeparameters", "true");
        p.put("mail.mime.parameters.strict", "false");
        p.put("mail.mime.multipart.ignoremissingendboundary", "true");
        p.put("mail.mime.multipart.ignoremissingboundaryparameter", "true");
        p.put("mail.mime.multipart.ignoreexistingboundaryparameter", "false");
        p.put("mail.mime.multipart.allowempty", "true");
        p.put("mail.mime.base64.ignoreerrors", "true");
        p.put("mail.mime.uudecode.ignoreerrors", "true");
        return p;
    }
}
