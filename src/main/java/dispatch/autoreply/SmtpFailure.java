package dispatch.autoreply;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.jspecify.annotations.Nullable;

/**
 * Why a send failed, as the server said it: a 5xx reply (to the sender, a recipient or the message), a login refused
 * with a 5xx reply or an address that does not parse will fail the same way again, so it is permanent; a 4xx reply, a
 * lost connection (also during the login), a timeout is transient and worth a retry (docs/decisions/0019).
 *
 * @param reason the server's reply (or the error), for the dispatcher in Tracker
 */
record SmtpFailure(boolean permanent, String reason) {

    private static final Pattern REPLY_5XX = Pattern.compile("\\s*5\\d\\d\\b");

    static SmtpFailure of(Exception e) {
        Set<Throwable> seen = new HashSet<>();
        for (@Nullable Throwable t = e; t != null && seen.add(t); t = next(t)) {
            int code = code(t);
            if (code > 0) return new SmtpFailure(code >= 500 && code < 600, text(t));
            if (t instanceof AuthenticationFailedException) return new SmtpFailure(refusedLogin(t), text(t));
            if (t instanceof AddressException) return new SmtpFailure(true, text(t));
        }
        return new SmtpFailure(false, text(e));
    }

    /**
     * A login the server refused with a 5xx reply ("535 5.7.8 ..."). Jakarta Mail raises the same exception with the
     * text "[EOF]" when the connection closed before any reply, and a 454 is a temporary failure: both are retried.
     */
    private static boolean refusedLogin(Throwable t) {
        return t.getMessage() != null && REPLY_5XX.matcher(t.getMessage()).lookingAt();
    }

    private static int code(Throwable t) {
        if (t instanceof SMTPAddressFailedException a) return a.getReturnCode();
        if (t instanceof SMTPSenderFailedException s) return s.getReturnCode();
        if (t instanceof SMTPSendFailedException s) return s.getReturnCode();
        return -1;
    }

    private static @Nullable Throwable next(Throwable t) {
        return t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
    }

    private static String text(Throwable t) {
        String message = t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getMessage().strip();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }
}
