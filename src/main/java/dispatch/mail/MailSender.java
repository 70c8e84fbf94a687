package dispatch.mail;

import dispatch.platform.FeatureSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Sends Dispatch's own mail over the configured SMTP server. The caller chooses the Message-ID (one of
 * {@link OwnMessageIds}), so a retry can tell whether an earlier attempt's mail arrived. The mail is marked
 * {@code Auto-Submitted: auto-generated}: auto-responders must not answer it (RFC 3834), which keeps two robots
 * from writing to each other.
 */
@Component
public class MailSender {

    /** A plain-text mail; addresses are RFC 5322 addresses, ids without angle brackets. */
    public record Outgoing(
            String messageId,
            List<String> to,
            List<String> cc,
            String subject,
            String text,
            @Nullable String inReplyTo,
            List<String> references) {}

    /** A recipient the server would not take (the mail went to the others), with the server's answer. */
    public record Refused(String address, String reply) {}

    private final MailProperties.Smtp smtp;
    private final Counter sent;
    private final Counter failed;

    MailSender(MailProperties settings, MeterRegistry meters) {
        this.smtp = settings.smtp();
        this.sent = counter(meters, "sent");
        this.failed = counter(meters, "failed");
    }

    private static Counter counter(MeterRegistry meters, String result) {
        return Counter.builder("dispatch.mail.sent")
                .description("Mails Dispatch sent over SMTP, by result")
                .tag("result", result)
                .register(meters);
    }

    /** The address Dispatch sends from (the dispatch mailbox). */
    public String from() {
        return smtp.from();
    }

    /**
     * The mail did not go out: it could not be built, the server could not be reached or logged in to, or it refused
     * the mail for every recipient. Any other exception from {@link #send} may come after the server took the mail
     * (e.g. its answer to the data was lost or came after the timeout).
     */
    public static final class NotSentException extends MessagingException {
        NotSentException(MessagingException cause) {
            super(cause.getMessage(), cause);
        }
    }

    /**
     * Sends the mail. {@link NotSentException}: the server did not take it; any other exception: it may have (the
     * answer was lost). The server may refuse some recipients and take the mail for the rest: those are returned.
     */
    public List<Refused> send(Outgoing mail) throws MessagingException {
        Transport transport;
        MimeMessage message;
        try {
            Session session = Session.getInstance(properties());
            message = message(session, mail);
            transport = connect(session);
        } catch (MessagingException e) {
            failed.increment();
            throw new NotSentException(e);
        }
        try {
            List<Refused> refused = List.of();
            try {
                transport.sendMessage(message, message.getAllRecipients());
            } catch (SendFailedException e) {
                Address[] taken = e.getValidSentAddresses();
                if (taken == null || taken.length == 0) throw new NotSentException(e); // refused: nothing went out
                refused = refused(e);
            }
            sent.increment();
            return refused;
        } catch (MessagingException | RuntimeException e) {
            failed.increment();
            throw e;
        } finally {
            try {
                transport.close();
            } catch (MessagingException e) {
                // QUIT after the send: the server's answer to the data is what counts
            }
        }
    }

    private MimeMessage message(Session session, Outgoing mail) throws MessagingException {
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<" + mail.messageId() + ">");
            }
        };
        message.setFrom(new InternetAddress(smtp.from()));
        for (String to : mail.to()) message.addRecipient(Message.RecipientType.TO, new InternetAddress(to));
        for (String cc : mail.cc()) message.addRecipient(Message.RecipientType.CC, new InternetAddress(cc));
        message.setSubject(mail.subject(), "UTF-8");
        message.setText(mail.text(), "UTF-8");
        message.setSentDate(new Date());
        if (mail.inReplyTo() != null) message.setHeader("In-Reply-To", "<" + mail.inReplyTo() + ">");
        if (!mail.references().isEmpty()) {
            message.setHeader(
                    "References",
                    String.join(
                            " ",
                            mail.references().stream().map(id -> "<" + id + ">").toList()));
        }
        message.setHeader("Auto-Submitted", "auto-generated");
        message.setHeader("X-Auto-Response-Suppress", "All");
        message.saveChanges();
        return message;
    }

    /** With {@code sendpartial} the server's answer to each refused address is chained to the exception. */
    private static List<Refused> refused(SendFailedException e) {
        List<Refused> refused = new ArrayList<>();
        for (Exception next = e.getNextException(); next != null; ) {
            if (next instanceof SMTPAddressFailedException failed) {
                refused.add(new Refused(
                        failed.getAddress().getAddress(), failed.getMessage().strip()));
            }
            next = next instanceof MessagingException m ? m.getNextException() : null;
        }
        if (refused.isEmpty() && e.getInvalidAddresses() != null) {
            for (Address a : e.getInvalidAddresses()) refused.add(new Refused(a.toString(), e.getMessage()));
        }
        return List.copyOf(refused);
    }

    /** Logs in to the SMTP server and out again (the health check). */
    void probe() throws MessagingException {
        connect(Session.getInstance(properties())).close();
    }

    /** {@code host:port} of the SMTP server, for health details and logs. */
    String server() {
        return smtp.host() + ":" + smtp.port();
    }

    private Transport connect(Session session) throws MessagingException {
        Transport transport = session.getTransport(protocol());
        transport.connect(smtp.host(), smtp.port(), smtp.username(), smtp.password());
        return transport;
    }

    private String protocol() {
        return MailSessions.protocol("smtp", smtp.security());
    }

    private Properties properties() {
        Properties props = MailSessions.properties(protocol(), smtp.security(), smtp.timeout(), smtp.timeout());
        props.put("mail." + protocol() + ".auth", String.valueOf(!FeatureSettings.blank(smtp.username())));
        props.put("mail.mime.charset", "UTF-8");
        // One recipient the server refuses must not cost the others their mail.
        props.put("mail." + protocol() + ".sendpartial", "true");
        return props;
    }
}
