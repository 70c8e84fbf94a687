package dispatch.standin.mail;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Date;
import java.util.Properties;

/** Builds RFC 5322 mails for tests, as a mail client would write them. */
public final class TestMails {

    private final String messageId;
    private String inReplyTo;
    private String from = "noc@operator.example";
    private String to = "dispatch@example.test";
    private String cc;
    private String subject = "Авария";
    private String body = "Нет питания";
    private Instant date = Instant.parse("2026-11-20T07:00:00Z");
    private String attachmentName;
    private byte[] attachment;
    private String extraHeader;

    private TestMails(String messageId) {
        this.messageId = messageId;
    }

    public static TestMails mail(String messageId) {
        return new TestMails(messageId);
    }

    public String messageId() {
        return messageId;
    }

    public TestMails replyTo(String id) {
        this.inReplyTo = id;
        return this;
    }

    public TestMails from(String address) {
        this.from = address;
        return this;
    }

    public TestMails cc(String address) {
        this.cc = address;
        return this;
    }

    public TestMails subject(String value) {
        this.subject = value;
        return this;
    }

    public TestMails body(String value) {
        this.body = value;
        return this;
    }

    public TestMails at(Instant value) {
        this.date = value;
        return this;
    }

    public TestMails header(String line) {
        this.extraHeader = line;
        return this;
    }

    public TestMails attach(String name, byte[] content) {
        this.attachmentName = name;
        this.attachment = content;
        return this;
    }

    public byte[] bytes() {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties())) {
                @Override
                protected void updateMessageID() throws jakarta.mail.MessagingException {
                    setHeader("Message-ID", "<" + messageId + ">");
                }
            };
            message.setFrom(new InternetAddress(from));
            message.setRecipients(Message.RecipientType.TO, to);
            if (cc != null) message.setRecipients(Message.RecipientType.CC, cc);
            message.setSubject(subject, "UTF-8");
            message.setSentDate(Date.from(date));
            if (inReplyTo != null) {
                message.setHeader("In-Reply-To", "<" + inReplyTo + ">");
                message.setHeader("References", "<" + inReplyTo + ">");
            }
            if (extraHeader != null) {
                String[] parts = extraHeader.split(":", 2);
                message.setHeader(parts[0].trim(), parts[1].trim());
            }
            if (attachment == null) {
                message.setText(body, "UTF-8");
            } else {
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, "UTF-8");
                MimeBodyPart file = new MimeBodyPart();
                file.setDataHandler(new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
                file.setFileName(attachmentName);
                message.setContent(new MimeMultipart(text, file));
            }
            message.saveChanges();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
