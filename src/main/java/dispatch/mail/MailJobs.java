package dispatch.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The intake's triggers: a safety poll of every folder at {@code DISPATCH_MAIL_POLLINTERVAL}, an IMAP IDLE watcher
 * per account that reads INBOX as soon as the server announces new mail, and the parse stage's thread, woken by every
 * committed read (decision 0016). IDLE is only a fast path: a missed notification costs at most one poll interval.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.mail.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class MailJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MailJobs.class);
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(2);
    /** Mail staged by another instance (or before a restart) is parsed at the latest after this long. */
    private static final Duration PARSE_SWEEP = Duration.ofSeconds(5);

    private final MailIntake intake;
    private final MailParsing parsing;
    private final MailProperties settings;
    private final ImapConnector connector = new ImapConnector();
    private final List<Thread> watchers = new ArrayList<>();
    private volatile boolean running;

    MailJobs(MailIntake intake, MailParsing parsing, MailProperties settings) {
        this.intake = intake;
        this.parsing = parsing;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${dispatch.mail.poll-interval:30s}")
    void poll() {
        intake.fetchOnce();
    }

    @Override
    public void start() {
        running = true;
        Thread parser = new Thread(this::parse, "mail-parse");
        parser.setDaemon(true);
        parser.start();
        watchers.add(parser);
        for (MailProperties.Account account : settings.accounts()) {
            if (account.idle()) {
                Thread t = new Thread(() -> watch(account), "imap-idle-" + account.name());
                t.setDaemon(true);
                t.start();
                watchers.add(t);
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        watchers.forEach(Thread::interrupt);
        watchers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /**
     * Ends the IDLE in progress, if any, so the watcher reads the folder again. Needed because mail delivered while
     * the watcher was reading is announced (EXISTS) when it sends IDLE again, before the server's continuation:
     * Angus processes that announcement but {@code idle(true)} keeps waiting for another one. Any command on the
     * folder from another thread (here an empty one, from the listener's event thread) sends DONE.
     */
    private static void endIdle(IMAPFolder inbox) {
        try {
            inbox.doCommand(protocol -> null);
        } catch (MessagingException | RuntimeException e) {
            // a broken connection ends idle() in the watcher, which reconnects
        }
    }

    /** The parse stage: whenever the intake committed mail, and every few seconds in case another instance did. */
    private void parse() {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try {
                parsing.parseWaiting();
                backoff = Duration.ofSeconds(1);
                parsing.awaitWork(PARSE_SWEEP);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // The database or the data directory failing: the staged mail waits (health "mailParse" tells).
                log.warn("Parsing staged mail failed; retrying in {}: {}", backoff, e.toString());
                if (!pause(backoff)) return;
                backoff = doubled(backoff);
            }
        }
    }

    private void watch(MailProperties.Account account) {
        Duration backoff = Duration.ofSeconds(1);
        while (running) {
            try (IMAPStore store = (IMAPStore) connector.connect(account)) {
                if (!store.hasCapability("IDLE")) {
                    log.info(
                            "IMAP server of {} has no IDLE: INBOX is polled every {}",
                            account,
                            settings.pollInterval());
                    return;
                }
                IMAPFolder inbox = FolderNames.open(store, account, FolderRole.INBOX);
                inbox.addMessageCountListener(new MessageCountAdapter() {
                    @Override
                    public void messagesAdded(MessageCountEvent event) {
                        endIdle(inbox);
                    }
                });
                backoff = Duration.ofSeconds(1);
                // The first read catches up on whatever arrived while we were not listening.
                while (running && inbox.isOpen()) {
                    intake.poll(account, FolderRole.INBOX);
                    inbox.idle(true);
                }
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                log.warn("IMAP IDLE of {} lost ({}); reconnecting in {}", account, e.toString(), backoff);
                if (!pause(backoff)) return;
                backoff = doubled(backoff);
            }
        }
    }

    /** Sleeps; false when interrupted (the jobs stop). */
    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException interrupted) {
            return false;
        }
    }

    private static Duration doubled(Duration backoff) {
        return backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
}
