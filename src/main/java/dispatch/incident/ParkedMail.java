package dispatch.incident;

import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import java.util.List;
import java.util.NoSuchElementException;
import org.springframework.stereotype.Component;

/**
 * Stored mail that threading set aside, for the admin API and the status page: parked mail waits for a person,
 * retrying mail for its next attempt. A replay puts it back into the queue and threads it at once.
 */
@Component
public class ParkedMail {

    private final ThreadingFailures failures;
    private final Threading threading;
    private final Mails mails;

    ParkedMail(ThreadingFailures failures, Threading threading, Mails mails) {
        this.failures = failures;
        this.threading = threading;
        this.mails = mails;
    }

    /** Parked mail, then mail waiting for a retry, oldest failure first, at most 500. */
    public List<SetAsideMail> list() {
        return failures.list();
    }

    /**
     * Threads a parked or retrying mail again now (after a fix); the outcome as a sentence for the admin.
     *
     * @throws NoSuchElementException when the mail is not parked or retrying
     */
    public String replay(long mailId) {
        if (!failures.release(mailId)) {
            throw new NoSuchElementException("no parked or retrying mail " + mailId);
        }
        threading.threadPending();
        return outcome(mailId);
    }

    private String outcome(long mailId) {
        StoredMail mail = mails.byId(mailId).orElseThrow();
        if (mail.matchMethod() == null) return "waiting for threading";
        return failures.byMail(mailId)
                .map(f -> (f.state() == MatchMethod.PARKED
                                ? "parked again: "
                                : "failed again, retry at " + f.nextAt() + ": ")
                        + f.reason())
                .orElseGet(() -> "threaded: " + mail.matchMethod()
                        + (mail.incidentId() == null ? " (not linked)" : " to incident " + mail.incidentId()));
    }
}
