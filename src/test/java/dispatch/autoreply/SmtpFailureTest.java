package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.ConnectException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.junit.jupiter.api.Test;

/** Which send failures are retried: what the server answered decides, and no answer at all is always retried. */
class SmtpFailureTest {

    @Test
    void aLoginRefusedWithA5xxReplyIsPermanent() {
        assertThat(SmtpFailure.of(new AuthenticationFailedException("535 5.7.8 Authentication credentials invalid")))
                .isEqualTo(new SmtpFailure(true, "535 5.7.8 Authentication credentials invalid"));
    }

    @Test
    void aConnectionClosedDuringTheLoginIsRetried() {
        // What Jakarta Mail throws when the server hangs up before answering the login (seen in the proof, SMTP
        // restart).
        assertThat(SmtpFailure.of(new AuthenticationFailedException("[EOF]")).permanent())
                .isFalse();
        assertThat(SmtpFailure.of(new AuthenticationFailedException(null)).permanent())
                .isFalse();
    }

    @Test
    void aTemporaryLoginFailureIsRetried() {
        assertThat(SmtpFailure.of(new AuthenticationFailedException("454 4.7.0 Temporary authentication failure"))
                        .permanent())
                .isFalse();
    }

    @Test
    void aRecipientRejectedWith5xxIsPermanentAnd4xxIsRetried() throws Exception {
        InternetAddress to = new InternetAddress("op@d.example");
        MessagingException rejected = new SMTPSendFailedException(
                "550",
                550,
                "550 5.1.1 no such user",
                new SMTPAddressFailedException(to, "RCPT", 550, "550 no such user"),
                null,
                null,
                new InternetAddress[] {to});
        MessagingException greylisted = new SMTPSendFailedException(
                "451",
                451,
                "451 4.7.1 try later",
                new SMTPAddressFailedException(to, "RCPT", 451, "451 try later"),
                null,
                null,
                new InternetAddress[] {to});

        assertThat(SmtpFailure.of(rejected).permanent()).isTrue();
        assertThat(SmtpFailure.of(greylisted).permanent()).isFalse();
    }

    @Test
    void aRefusedConnectionIsRetriedAndABadAddressIsNot() {
        assertThat(SmtpFailure.of(new MessagingException("Couldn't connect to host", new ConnectException()))
                        .permanent())
                .isFalse();
        assertThat(SmtpFailure.of(new AddressException("Missing final '@domain'", "op"))
                        .permanent())
                .isTrue();
    }
}
