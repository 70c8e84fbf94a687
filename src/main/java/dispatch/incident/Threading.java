package dispatch.incident;

import dispatch.incident.Conversations.Conversation;
import dispatch.incident.Conversations.Relative;
import dispatch.incident.IncidentStore.IncidentRef;
import dispatch.incident.IncidentStore.Link;
import dispatch.incident.ThreadResolver.Match;
import dispatch.mail.MailOrigin;
import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import dispatch.platform.LogContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Threads stored mail into incidents, oldest first, one mail per transaction under a database-wide lock, so two
 * threads or instances never open two incidents for one conversation. A mail waits for threading while its match
 * method is empty; nothing depends on an event arriving.
 */
@Service
public class Threading {

    private static final Logger log = LoggerFactory.getLogger(Threading.class);

    static final String REOPENED_BY_MAIL = "Заявка переоткрыта: после закрытия пришло письмо от %s";

    private final Mails mails;
    private final Conversations conversations;
    private final IncidentStore incidents;
    private final ThreadResolver resolver;
    private final DispatcherAssignment assignment;
    private final LocationExtractor locations;
    private final HeldMail heldMail;
    private final IncidentProperties settings;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final ThreadingFailures failures;
    private final MeterRegistry meters;
    private final AtomicReference<Instant> progress;

    Threading(
            Mails mails,
            Conversations conversations,
            IncidentStore incidents,
            ThreadResolver resolver,
            DispatcherAssignment assignment,
            LocationExtractor locations,
            HeldMail heldMail,
            IncidentProperties settings,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock,
            ThreadingFailures failures,
            MeterRegistry meters) {
        this.mails = mails;
        this.conversations = conversations;
        this.incidents = incidents;
        this.resolver = resolver;
        this.assignment = assignment;
        this.locations = locations;
        this.heldMail = heldMail;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.json = json;
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
                        thread(next.get(0));
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

    private void thread(StoredMail mail) {
        Conversation conversation = conversations.of(mail);
        List<Match> candidates = resolver.candidates(mail, conversation);
        if (candidates.isEmpty()) {
            unmatched(mail, conversation);
            return;
        }
        Match chosen = choose(candidates);
        if (candidates.size() > 1) {
            String detail = json.writeValueAsString(Map.of(
                    "mail", mail.messageId(),
                    "chosen", chosen.incident().code(),
                    "candidates",
                            candidates.stream()
                                    .map(c -> c.incident().code() + " by " + c.method())
                                    .toList()));
            for (Match c : candidates) {
                incidents.recordEvent(c.incident().id(), "THREADING_CONFLICT", detail);
            }
            log.warn(
                    "Mail {} points at {} incidents; joined {}",
                    mail.messageId(),
                    candidates.size(),
                    chosen.incident().code());
        }
        IncidentRef incident = chosen.incident();
        if (incident.open()) {
            attach(mail, conversation, chosen, false);
            return;
        }
        boolean fromOutside = !mail.outbound() && mail.external() && !mail.automatic();
        Instant arrived = mail.sentAt() != null ? mail.sentAt() : clock.instant();
        if (Duration.between(incident.finishedAt(), arrived).compareTo(settings.reopenWindow()) > 0) {
            if (fromOutside) {
                open(mail, conversation, MatchMethod.CONTINUES_CLOSED, incident);
            } else {
                mails.link(mail.id(), incident.id(), chosen.method(), chosen.detail());
            }
            return;
        }
        boolean reopen = fromOutside && settings.afterClosing() == IncidentProperties.AfterClosing.REOPEN;
        if (reopen) {
            String sender = mail.fromAddress() == null ? "неизвестного отправителя" : mail.fromAddress();
            incidents.reopenByMail(incident.id(), REOPENED_BY_MAIL.formatted(sender));
        }
        attach(mail, conversation, chosen, reopen);
        if (fromOutside && !reopen) {
            events.publishEvent(new ClosedIncidentMailed(incident.id(), incident.code(), mail.id()));
        }
    }

    /** The most recent open incident wins a conflict; with none open, the most recent one. */
    private static Match choose(List<Match> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        return candidates.stream()
                .max(Comparator.comparing((Match m) -> m.incident().open())
                        .thenComparing(m -> m.incident().createdAt())
                        .thenComparing(m -> m.incident().id()))
                .orElseThrow();
    }

    private void unmatched(StoredMail mail, Conversation conversation) {
        if (mail.automatic()) {
            mails.link(
                    mail.id(),
                    null,
                    MatchMethod.AUTO_REPLY_IGNORED,
                    mail.autoKind().name());
        } else if (mail.origin() == MailOrigin.TRACKER) {
            mails.link(mail.id(), null, MatchMethod.TRACKER_UNMATCHED, null);
        } else if (mail.origin() == MailOrigin.SELF) {
            mails.link(mail.id(), null, MatchMethod.SELF_UNMATCHED, null);
        } else if (mail.outbound()) {
            mails.link(mail.id(), null, MatchMethod.SENT_UNMATCHED, null);
        } else if (!heldMail.holds(mail)) {
            open(mail, conversation, MatchMethod.NEW_INCIDENT, null);
        }
    }

    private void open(StoredMail mail, Conversation conversation, MatchMethod method, IncidentRef continues) {
        Instant at = mail.sentAt() != null ? mail.sentAt() : clock.instant();
        LocationExtractor.Location location =
                mail.automatic() ? LocationExtractor.Location.NONE : locations.find(mail.subject(), mail.bodyText());
        IncidentRef incident = incidents.open(
                settings.codePrefix(),
                at,
                Subjects.clean(mail.subject()),
                continues == null ? null : continues.id(),
                assignment.window(),
                location,
                new Link(mail.id(), method, continues == null ? null : continues.code()));
        try (var logged = LogContext.put(LogContext.INCIDENT, incident.code())) {
            events.publishEvent(new IncidentOpened(incident.id(), incident.code(), mail.id()));
            events.publishEvent(new MailThreaded(mail.id(), incident.id(), method, false, true));
            linkUnmatchedRelatives(mail, conversation, incident); // after the creation: they are comments
            log.info("Mail {} opened incident {}", mail.messageId(), incident.code());
        }
    }

    private void attach(StoredMail mail, Conversation conversation, Match match, boolean reopened) {
        try (var logged = LogContext.put(LogContext.INCIDENT, match.incident().code())) {
            attachLogged(mail, conversation, match, reopened);
        }
    }

    private void attachLogged(StoredMail mail, Conversation conversation, Match match, boolean reopened) {
        IncidentRef incident = match.incident();
        incidents.attach(
                incident.id(),
                new Link(mail.id(), match.method(), match.detail()),
                !mail.outbound() && mail.external() && !mail.automatic());
        if (!mail.automatic() && !incident.hasPole()) {
            LocationExtractor.Location location = locations.find(mail.subject(), mail.bodyText());
            if (location.found() || location.note() != null) {
                incidents.fillLocation(incident.id(), location);
            }
        }
        linkUnmatchedRelatives(mail, conversation, incident);
        events.publishEvent(new MailThreaded(mail.id(), incident.id(), match.method(), reopened, false));
    }

    /**
     * Mail that was stored unlinked (a Sent copy, a Tracker or our own notification) joins the incident as soon as a
     * mail of the same conversation is threaded: the messages this mail answers, and the replies to it. Each is then a
     * later mail of the incident like any other (its Tracker comment). The conversation was read under the threading
     * lock, and nothing but this mail has been linked since.
     */
    private void linkUnmatchedRelatives(StoredMail mail, Conversation conversation, IncidentRef incident) {
        Set<String> parents = new LinkedHashSet<>(mail.references());
        if (mail.inReplyTo() != null) parents.add(mail.inReplyTo());
        Map<Long, Relative> relatives = new LinkedHashMap<>();
        for (String parent : parents) {
            Relative relative = conversation.parents().get(parent);
            if (relative != null) relatives.putIfAbsent(relative.id(), relative);
        }
        conversation.repliesTo(mail.messageId()).forEach(r -> relatives.putIfAbsent(r.id(), r));
        for (Relative relative : relatives.values()) {
            if (relative.id() != mail.id()
                    && relative.incident() == null
                    && relative.matchMethod() != null
                    && !relative.matchMethod().setAside()) {
                mails.link(relative.id(), incident.id(), MatchMethod.LINKED_BY_REPLY, mail.messageId());
                events.publishEvent(
                        new MailThreaded(relative.id(), incident.id(), MatchMethod.LINKED_BY_REPLY, false, false));
            }
        }
    }

    /** Cut to the column's length: {@code match_detail} holds 998 characters, {@code summary} 1024. */
    private static String truncate(String s, int max) {
        return s.length() > max ? s.substring(0, max) : s;
    }
}
