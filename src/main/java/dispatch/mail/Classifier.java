package dispatch.mail;

import dispatch.mail.Classification.Bounce;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Tells mail written by people from Tracker notifications, our own mail, auto-replies and bounces. */
final class Classifier {

    private static final String[] TRACKER_HEADERS = {
        "X-Yandex-Tracker-Mail-Type", "X-Yandex-Tracker-Env", "X-Tracker-Issue-Key", "X-Tracker-Comment-Id"
    };
    /** Subjects Exchange and Outlook give out-of-office replies (which carry no Auto-Submitted header). */
    private static final Pattern OUT_OF_OFFICE_SUBJECT = Pattern.compile(
            "^\\s*(автоматический ответ|automatic reply|out of office|автоответ|autoreply)\\s*:.*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);

    private static final Pattern BOUNCE_SENDER =
            Pattern.compile("^(mailer-daemon|postmaster)@.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern FINAL_RECIPIENT =
            Pattern.compile("(?im)^Final-Recipient:\\s*(?:[a-z0-9-]+;\\s*)?<?([^>\\s]+)>?\\s*$");
    private static final Pattern STATUS = Pattern.compile("(?im)^Status:\\s*([245]\\.\\d{1,3}\\.\\d{1,3})");
    private static final Pattern ORIGINAL_MESSAGE_ID =
            Pattern.compile("(?im)^(?:Original-Message-ID|Message-ID):\\s*(.+)$");
    private static final Pattern ORIGINAL_ENVELOPE_ID = Pattern.compile("(?im)^Original-Envelope-Id:\\s*(.+)$");

    private static final int REPORT_CHARS = 256 * 1024;

    private final OwnMessageIds ownIds;
    private final List<String> robotSenders;

    /**
     * @param robotSenders addresses or {@code @domain}s of alarm robots: their automatic mail counts as written by a
     *     person, so it opens incidents
     */
    Classifier(OwnMessageIds ownIds, List<String> robotSenders) {
        this.ownIds = ownIds;
        this.robotSenders = robotSenders.stream()
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    Classification classify(MimeMessage message, String messageId, String subject, String fromAddress)
            throws MessagingException {
        MailOrigin origin = MailOrigin.EXTERNAL;
        if (ownIds.isOwn(messageId)) {
            origin = MailOrigin.SELF;
        } else {
            for (String header : TRACKER_HEADERS) {
                if (message.getHeader(header) != null) {
                    // Tracker's own notifications, whatever queue they are about, never open incidents.
                    origin = MailOrigin.TRACKER;
                    break;
                }
            }
        }
        Bounce bounce = bounce(message, fromAddress);
        if (bounce != null) {
            return new Classification(origin, AutoKind.BOUNCE, bounce);
        }
        boolean automatic = isAutoReply(message, subject) && !isRobot(fromAddress);
        return new Classification(origin, automatic ? AutoKind.AUTO_REPLY : AutoKind.NONE, null);
    }

    private boolean isRobot(String fromAddress) {
        if (fromAddress == null) {
            return false;
        }
        String from = fromAddress.toLowerCase(Locale.ROOT);
        return robotSenders.stream().anyMatch(r -> r.startsWith("@") ? from.endsWith(r) : from.equals(r));
    }

    private static boolean isAutoReply(MimeMessage message, String subject) throws MessagingException {
        String autoSubmitted = value(header(message, "Auto-Submitted"));
        if (autoSubmitted != null) {
            // RFC 3834: "no" marks a message a person wrote, whatever else it says.
            return !autoSubmitted.equals("no");
        }
        if (header(message, "X-Autoreply") != null || header(message, "X-Autorespond") != null) {
            return true;
        }
        String precedence = value(header(message, "Precedence"));
        if (precedence != null && precedence.matches("auto_reply|bulk|junk|list")) {
            return true;
        }
        // Exchange out-of-office: X-Auto-Response-Suppress alone is on ordinary Outlook mail too, and a person can
        // type the prefix; both together are an auto-reply.
        return header(message, "X-Auto-Response-Suppress") != null
                && subject != null
                && OUT_OF_OFFICE_SUBJECT.matcher(subject).matches();
    }

    /** A header's value without comments or parameters, lower case. */
    private static String value(String header) {
        if (header == null) {
            return null;
        }
        String v = MessageIds.stripComments(header);
        int semicolon = v.indexOf(';');
        return (semicolon >= 0 ? v.substring(0, semicolon) : v).strip().toLowerCase(Locale.ROOT);
    }

    private static Bounce bounce(MimeMessage message, String fromAddress) throws MessagingException {
        boolean report = false;
        try {
            ContentType type = new ContentType(message.getContentType());
            report = type.match("multipart/report")
                    && "delivery-status".equalsIgnoreCase(type.getParameter("report-type"));
        } catch (MessagingException | RuntimeException e) {
            // an unparsable Content-Type is not a DSN
        }
        boolean daemon =
                fromAddress != null && BOUNCE_SENDER.matcher(fromAddress).matches();
        if (!report && !daemon) {
            return null;
        }
        StringBuilder status = new StringBuilder();
        StringBuilder original = new StringBuilder();
        if (report) {
            try {
                collectReportParts(message, status, original, 0);
            } catch (IOException | MessagingException e) {
                // keep what was read; a bounce stays a bounce even when its report is damaged
            }
        }
        // The bounced mail's Message-ID: from its returned headers, else the envelope id, else what the DSN answers.
        String originalId = MessageIds.first(group(ORIGINAL_MESSAGE_ID, original));
        if (originalId == null) originalId = MessageIds.first(group(ORIGINAL_ENVELOPE_ID, status));
        if (originalId == null) originalId = MessageIds.first(header(message, "In-Reply-To"));
        return new Bounce(group(FINAL_RECIPIENT, status), group(STATUS, status), originalId);
    }

    /** The report's parts, as deep and as much as {@link MimeParser} reads a body (bounded work per mail). */
    private static void collectReportParts(Part part, StringBuilder status, StringBuilder original, int depth)
            throws MessagingException, IOException {
        if (status.length() + original.length() > REPORT_CHARS) {
            return;
        }
        if (part.isMimeType("multipart/*")) {
            if (depth >= MimeParser.MAX_DEPTH) return;
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                collectReportParts(multipart.getBodyPart(i), status, original, depth + 1);
            }
        } else if (part.isMimeType("message/delivery-status")) {
            status.append(read(part)).append('\n');
        } else if (part.isMimeType("message/rfc822") || part.isMimeType("text/rfc822-headers")) {
            original.append(read(part)).append('\n');
        }
    }

    private static String read(Part part) throws MessagingException, IOException {
        try (InputStream in = part.getInputStream()) {
            return new String(in.readNBytes(REPORT_CHARS), StandardCharsets.UTF_8);
        }
    }

    private static String group(Pattern pattern, CharSequence text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1).trim() : null;
    }

    private static String header(MimeMessage message, String name) throws MessagingException {
        return message.getHeader(name, ",");
    }
}
