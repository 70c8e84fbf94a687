package dispatch.tracker;

import dispatch.mail.MailAttachment;
import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import dispatch.platform.DispatchProperties;
import dispatch.platform.SecretKeys;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The texts Dispatch writes into Tracker for a mail: the comment layout of docs/tracker-markdown.md and the issue
 * description. Every text a sender controls (subject, addresses, file names) goes through {@link #escape}; the body
 * goes into a code block. Every comment carries a marker row with the mail's database id and a MAC over it: it is
 * how a retry recognises a comment an earlier attempt posted without learning its id, and mail content cannot forge
 * it (decision 0012).
 */
@Component
class MailMarkdown {

    static final String NEW_SENDER = "⚠ Отправитель впервые пишет по этому инциденту";
    static final String BOUNCED = "⚠ Адрес %s не принимает почту (статус %s): автоответы на него приостановлены";
    static final String DATE_REPLACED =
            "**⚠ Дата письма (%s) позже времени его получения сервером; SLA считается от времени получения (%s).**";
    private static final String MARKER_KEY = "tracker.comment-marker-key";
    private static final Pattern BACKTICKS = Pattern.compile("`+");
    /** Line breaks of any kind and other control characters: a table row or heading must stay one line. */
    private static final Pattern BREAKS = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029\\u0085]+");
    /** CommonMark lets any ASCII punctuation be escaped with a backslash, and then it is only text. */
    private static final Pattern PUNCTUATION = Pattern.compile("[!-/:-@\\[-`{-~]");

    private final DateTimeFormatter dateFormat;
    private final Supplier<byte[]> markerKey;

    @Autowired
    MailMarkdown(DispatchProperties settings, SecretKeys keys) {
        this(settings.timeZone(), () -> keys.key(MARKER_KEY));
    }

    MailMarkdown(ZoneId zone, Supplier<byte[]> markerKey) {
        this.dateFormat = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm").withZone(zone);
        this.markerKey = markerKey;
    }

    /** The marker row a comment for this mail contains; only Dispatch can write it. */
    String marker(long mailId) {
        return "| **ID письма:** | " + mailId + " · " + SecretKeys.hmac(markerKey.get(), "mail:" + mailId, 12) + " |";
    }

    /** @param warnings lines shown in bold under the heading, already safe Markdown ({@link #escape} what is not) */
    String comment(StoredMail mail, Recipients recipients, List<String> notUploaded, List<String> warnings) {
        StringBuilder text = new StringBuilder();
        // Stripped after escaping: a control character becomes a space, and "**" after a space would not close.
        String subject = mail.subject() == null ? "" : escape(mail.subject()).strip();
        text.append("### 📧 ")
                .append(subject.isEmpty() ? "*Без темы*" : "\"**" + subject + "**\"")
                .append("\n\n");
        for (String warning : warnings) text.append("**").append(warning).append("**\n\n");
        text.append("| | |\n|-|-|\n");
        text.append("| **От:** | ")
                .append(escape(nullToEmpty(mail.fromAddress())))
                .append(" |\n");
        if (!recipients.to().isEmpty()) {
            text.append("| **Кому:** | ")
                    .append(escape(String.join(", ", recipients.to())))
                    .append(" |\n");
        }
        if (!recipients.cc().isEmpty()) {
            text.append("| **Копия:** | ")
                    .append(escape(String.join(", ", recipients.cc())))
                    .append(" |\n");
        }
        if (mail.sentAt() != null) {
            text.append("| **Дата:** | ")
                    .append(dateFormat.format(mail.sentAt()))
                    .append(" |\n");
        }
        text.append(marker(mail.id())).append("\n\n");
        text.append(fenced(mail.bodyText(), "*Тело письма отсутствует*"));
        appendNotUploaded(text, notUploaded);
        return text.toString();
    }

    /**
     * The issue description: the first mail's text, verbatim in a code block so mail formatting cannot break it; when
     * the server's delivery time replaced the mail's Date as the SLA start ({@code declaredSentAt}), a line says so.
     */
    String description(StoredMail mail, List<String> notUploaded, @Nullable Instant declaredSentAt) {
        StringBuilder text = new StringBuilder(fenced(mail.bodyText(), ""));
        appendNotUploaded(text, notUploaded);
        if (declaredSentAt != null) {
            if (!text.isEmpty()) text.append("\n\n");
            text.append(DATE_REPLACED.formatted(dateFormat.format(declaredSentAt), dateFormat.format(mail.sentAt())));
        }
        return text.toString();
    }

    /** Attachments not uploaded to Tracker, as "name (size)". */
    static String notUploaded(MailAttachment attachment) {
        long size = attachment.size();
        String shown =
                size < 1024 ? size + " Б" : size < 1024 * 1024 ? size / 1024 + " КБ" : size / (1024 * 1024) + " МБ";
        return attachment.fileName() + " (" + shown + ")";
    }

    /**
     * Text a sender controls, as one line of literal Markdown text (YFM is CommonMark with extensions): line breaks
     * become spaces and every ASCII punctuation character is backslash-escaped, so no link, image, emphasis, table
     * cell break, HTML tag, heading, list, or YFM construct ({@code {{ }}}, {@code {% %}}, {@code (( ))}) can start,
     * and a bare URL is split by escapes so it is not auto-linked. It renders as the text itself.
     */
    static String escape(String value) {
        String line = BREAKS.matcher(value).replaceAll(" ");
        return PUNCTUATION.matcher(line).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group()));
    }

    private static String fenced(@Nullable String body, String whenEmpty) {
        if (body == null || body.isBlank()) {
            return whenEmpty.isEmpty() ? "" : "```text\n" + whenEmpty + "\n```";
        }
        int longest = 2;
        Matcher runs = BACKTICKS.matcher(body);
        while (runs.find()) longest = Math.max(longest, runs.group().length());
        String fence = "`".repeat(longest + 1);
        return fence + "text\n" + body.strip().replace("\r\n", "\n") + "\n" + fence;
    }

    private static void appendNotUploaded(StringBuilder text, List<String> notUploaded) {
        if (!notUploaded.isEmpty()) {
            text.append("\n\n**Вложения не загружены в Tracker (больше 50 МБ или сверх предела на письмо):** ")
                    .append(escape(String.join(", ", notUploaded)));
        }
    }

    private static String nullToEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
