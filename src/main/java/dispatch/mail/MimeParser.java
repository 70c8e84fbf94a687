package dispatch.mail;

import dispatch.mail.ParsedMail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;

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

    private final MimeBody parts;
    private final Classifier classifier;
    private final MailProperties.Limits limits;

    MimeParser(FileStore files, Classifier classifier, long maxAttachmentSize, MailProperties.Limits limits) {
        this.parts = new MimeBody(files, maxAttachmentSize, limits);
        this.classifier = classifier;
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

        MimeBody.Body body = new MimeBody.Body();
        try {
            parts.walk(message, body, notes, 0);
        } catch (MessagingException | IOException | RuntimeException e) {
            notes.add("MIME structure partly unreadable: " + e.getMessage());
            if (body.text.isEmpty() && body.html == null) {
                body.text.append(fallbackText(message));
            }
        }
        if (body.tooDeep) {
            notes.add("multiparts nested deeper than " + MimeBody.MAX_DEPTH
                    + " levels not read; they are in the raw copy");
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
