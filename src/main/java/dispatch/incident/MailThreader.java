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
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Threads one mail, inside the caller's transaction and under its threading lock: joins it to the incident the
 * {@link ThreadResolver} finds (as {@link MailToClosed} says when that incident is closed), opens a new incident, or
 * records why it joins none.
 */
@Component
class MailThreader {

    private static final Logger log = LoggerFactory.getLogger(MailThreader.class);

    static final String REOPENED_BY_MAIL = "Заявка переоткрыта: после закрытия пришло письмо от %s";

    private final Mails mails;
    private final Conversations conversations;
    private final IncidentStore incidents;
    private final ThreadResolver resolver;
    private final DispatcherAssignment assignment;
    private final LocationExtractor locations;
    private final HeldMail heldMail;
    private final IncidentProperties settings;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    MailThreader(
            Mails mails,
            Conversations conversations,
            IncidentStore incidents,
            ThreadResolver resolver,
            DispatcherAssignment assignment,
            LocationExtractor locations,
            HeldMail heldMail,
            IncidentProperties settings,
            ApplicationEventPublisher events,
            JsonMapper json,
            Clock clock) {
        this.mails = mails;
        this.conversations = conversations;
        this.incidents = incidents;
        this.resolver = resolver;
        this.assignment = assignment;
        this.locations = locations;
        this.heldMail = heldMail;
        this.settings = settings;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    void thread(StoredMail mail) {
        Conversation conversation = conversations.of(mail);
        List<Match> candidates = resolver.candidates(mail, conversation);
        if (candidates.isEmpty()) {
            unmatched(mail, conversation);
            return;
        }
        Match chosen = ThreadResolver.choose(candidates);
        if (candidates.size() > 1) {
            conflict(mail, candidates, chosen);
        }
        IncidentRef incident = chosen.incident();
        if (incident.open()) {
            attach(mail, conversation, chosen, false);
            return;
        }
        switch (MailToClosed.of(
                mail, incident.finishedAt(), clock.instant(), settings.reopenWindow(), settings.afterClosing())) {
            case NEW_INCIDENT -> open(mail, conversation, MatchMethod.CONTINUES_CLOSED, incident);
            case LINK -> mails.link(mail.id(), incident.id(), chosen.method(), chosen.detail());
            case REOPEN -> {
                String sender = mail.fromAddress() == null ? "неизвестного отправителя" : mail.fromAddress();
                incidents.reopenByMail(incident.id(), REOPENED_BY_MAIL.formatted(sender));
                attach(mail, conversation, chosen, true);
            }
            case ATTACH_AND_TELL -> {
                attach(mail, conversation, chosen, false);
                events.publishEvent(new ClosedIncidentMailed(incident.id(), incident.code(), mail.id()));
            }
            case ATTACH -> attach(mail, conversation, chosen, false);
        }
    }

    private void conflict(StoredMail mail, List<Match> candidates, Match chosen) {
        String detail = json.writeValueAsString(Map.of(
                "mail", mail.messageId(),
                "chosen", chosen.incident().code(),
                "candidates",
                        candidates.stream()
                                .map(c -> c.incident().code() + " by " + c.method())
                                .toList()));
        for (Match c : candidates) {
            incidents.recordEvent(c.incident().id(), IncidentEventKind.THREADING_CONFLICT, detail);
        }
        log.warn(
                "Mail {} points at {} incidents; joined {}",
                mail.messageId(),
                candidates.size(),
                chosen.incident().code());
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
        IncidentRef incident = match.incident();
        try (var logged = LogContext.put(LogContext.INCIDENT, incident.code())) {
            incidents.attach(incident.id(), new Link(mail.id(), match.method(), match.detail()), mail.fromOutside());
            if (!mail.automatic() && !incident.hasPole()) {
                LocationExtractor.Location location = locations.find(mail.subject(), mail.bodyText());
                if (location.found() || location.note() != null) {
                    incidents.fillLocation(incident.id(), location);
                }
            }
            linkUnmatchedRelatives(mail, conversation, incident);
            events.publishEvent(new MailThreaded(mail.id(), incident.id(), match.method(), reopened, false));
        }
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
}
