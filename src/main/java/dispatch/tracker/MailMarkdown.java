package dispatch.tracker;

import dispatch.mail.MailAttachment;
import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import dispatch.platform.DispatchProperties;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The texts Dispatch writes into Tracker for a mail: the comment layout of reference §5.5 and the issue description.
 * Every comment carries a row with the mail's database id: it is how a retry recognises a comment an earlier attempt
 * posted without learning its id.
 */
@Component
class MailMarkdown {

    private static final Pattern BACKTICKS = Pattern.compile("`+");

    private final DateTimeFormatter dateFormat;

    MailMarkdown(DispatchProperties settings) {
        this.dateFormat = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm").withZone(settings.timeZone());
    }

    /** The marker row a comment for this mail contains. */
    static String marker(long mailId) {
        return "| **ID письма:** | `" + mailId + "` |";
    }

    String comment(StoredMail mail, Recipients recipients, List<String> notUploaded) {
        StringBuilder text = new StringBuilder();
        String subject = mail.subject() == null ? "" : mail.subject().strip();
        text.append("### 📧 ")
                .append(subject.isEmpty() ? "*Без темы*" : "\"**" + inline(subject) + "**\"")
                .append("\n\n| | |\n|-|-|\n");
        text.append("| **От:** | `")
                .append(inline(nullToEmpty(mail.fromAddress())))
                .append("` |\n");
        if (!recipients.to().isEmpty()) {
            text.append("| **Кому:** | `")
                    .append(inline(String.join(", ", recipients.to())))
                    .append("` |\n");
        }
        if (!recipients.cc().isEmpty()) {
            text.append("| **Копия:** | `")
                    .append(inline(String.join(", ", recipients.cc())))
                    .append("` |\n");
        }
        if (mail.sentAt() != null) {
            text.append("| **Дата:** | `")
                    .append(dateFormat.format(mail.sentAt()))
                    .append("` |\n");
        }
        text.append(marker(mail.id())).append("\n\n");
        text.append(fenced(mail.bodyText(), "*Тело письма отсутствует*"));
        appendNotUploaded(text, notUploaded);
        return text.toString();
    }

    /** The issue description: the first mail's text, verbatim in a code block so mail formatting cannot break it. */
    String description(StoredMail mail, List<String> notUploaded) {
        StringBuilder text = new StringBuilder(fenced(mail.bodyText(), ""));
        appendNotUploaded(text, notUploaded);
        return text.toString();
    }

    /** Attachments not uploaded to Tracker, as "name (size)". */
    static String notUploaded(MailAttachment attachment) {
        long size = attachment.size();
        String shown =
                size < 1024 ? size + " Б" : size < 1024 * 1024 ? size / 1024 + " КБ" : size / (1024 * 1024) + " МБ";
        return attachment.fileName() + " (" + shown + ")";
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
                    .append(inline(String.join(", ", notUploaded)));
        }
    }

    /** Text for a table cell or inline code: no line breaks, no characters that end the cell or the code span. */
    private static String inline(String value) {
        return value.replaceAll("[\\r\\n]+", " ").replace("|", "\\|").replace("`", "'");
    }

    private static String nullToEmpty(@Nullable String value) {
        return value == null ? "" : value;
    }
}
