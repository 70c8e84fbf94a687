package dispatch.incident;

import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import dispatch.platform.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Threads stored mail into incidents, oldest first, one mail per transaction under a database-wide lock, so two
 * threads or instances never open two incidents for one conversation ({@link MailThreader} threads each one). A mail
 * waits for threading while its match method is empty; nothing depends on an event arriving. A mail whose threading
 * fails is set aside ({@link ThreadingFailures}).
 */
@Service
public class Threading {

    private static final Logger log = LoggerFactory.getLogger(Threading.class);

    private final Mails mails;
    private final IncidentStore incidents;
    private final MailThreader threader;
    private final IncidentProperties settings;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ThreadingFailures failures;
    private final MeterRegistry meters;
    private final AtomicReference<Instant> progress;

    Threading(
            Mails mails,
            IncidentStore incidents,
            MailThreader threader,
            IncidentProperties settings,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events,
            Clock clock,
            ThreadingFailures failures,
            MeterRegistry meters) {
        this.mails = mails;
        this.incidents = incidents;
        this.threader = threader;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.clock = clock;
        this.failures = failures;
        this.meters = meters;
        this.progress = new AtomicReference<>(clock.instant());
    }

    /**
     * Threads every waiting mail, oldest first; returns how many were threaded or set aside. A mail whose threading
     * fails leaves the queue (decision 0014): retried later after a database error, parked otherwise, so it never
     * holds up the mail behind it.
     */
    public int threadPending() {
        failures.releaseDue();
        int total = 0;
        boolean more = true;
        while (more) {
            AtomicReference<StoredMail> current = new AtomicReference<>();
            long[] lockedAt = {System.nanoTime()};
            try {
                more = Boolean.TRUE.equals(transaction.execute(tx -> {
                    incidents.lockThreading(settings.threadingTimeout());
                    lockedAt[0] = System.nanoTime();
                    // Read under the lock, so a mail another instance threaded meanwhile is no longer waiting.
                    List<StoredMail> next = mails.unthreaded(2);
                    if (next.isEmpty()) {
                        return false;
                    }
                    current.set(next.get(0));
                    try (var logged =
                            LogContext.put(LogContext.MESSAGE_ID, next.get(0).messageId())) {
                        threader.thread(next.get(0));
                    }
                    return next.size() > 1;
                }));
            } catch (RuntimeException | Error e) {
                StoredMail mail = current.get();
                if (mail == null || (e instanceof VirtualMachineError && !(e instanceof StackOverflowError))) {
                    throw e;
                }
                try (var logged = LogContext.put(LogContext.MESSAGE_ID, mail.messageId())) {
                    setAside(mail, e, Duration.ofNanos(System.nanoTime() - lockedAt[0]));
                }
                more = true;
            }
            if (current.get() != null) {
                total++;
                progress.set(clock.instant());
            }
        }
        return total;
    }

    /** When this instance last threaded or set aside a mail (for the stall check). */
    Instant lastProgress() {
        return progress.get();
    }

    private void setAside(StoredMail mail, Throwable e, Duration took) {
        ThreadingFailures.Verdict verdict = ThreadingFailures.classify(e, took, settings.threadingTimeout());
        transaction.executeWithoutResult(tx -> {
            int attempts = failures.attempts(mail.id()) + 1;
            boolean retry = verdict.transientCause() && attempts < ThreadingFailures.MAX_RETRIES;
            MatchMethod state = retry ? MatchMethod.RETRY : MatchMethod.PARKED;
            failures.record(mail.id(), state, attempts, verdict.reason());
            mails.link(mail.id(), null, state, truncate(verdict.reason(), 998));
            if (!retry) events.publishEvent(new MailParked(mail.id(), verdict.reason()));
            meters.counter("dispatch.threading.failures", "outcome", retry ? "retry" : "parked")
                    .increment();
        });
        if (verdict.transientCause()) {
            log.warn("Threading of mail {} ({}) failed, set aside: {}", mail.id(), mail.messageId(), verdict.reason());
        } else {
            log.error("Threading of mail {} ({}) failed; parked", mail.id(), mail.messageId(), e);
        }
    }

    /** Cut to the column's length: {@code match_detail} holds 998 characters, {@code summary} 1024. */
    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
