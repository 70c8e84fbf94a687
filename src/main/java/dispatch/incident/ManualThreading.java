package dispatch.incident;

import dispatch.incident.IncidentStore.IncidentRef;
import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * A dispatcher's or admin's correction of threading: move a mail, and the replies that follow from it, to another
 * incident, or split them into a new one. Both are recorded on every incident involved.
 */
@Service
class ManualThreading {

    /** What a correction did. */
    record Result(String incident, List<Long> mails) {}

    private final Mails mails;
    private final IncidentStore incidents;
    private final IncidentProperties settings;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;

    ManualThreading(
            Mails mails,
            IncidentStore incidents,
            IncidentProperties settings,
            ApplicationEventPublisher events,
            JsonMapper json) {
        this.mails = mails;
        this.incidents = incidents;
        this.settings = settings;
        this.events = events;
        this.json = json;
    }

    @Transactional
    Result move(long mailId, String targetCode, String by) {
        incidents.lockThreading(settings.threadingTimeout());
        IncidentRef target =
                incidents.byCode(targetCode).orElseThrow(() -> new NoSuchElementException("no incident " + targetCode));
        return relink(mailId, target, MatchMethod.MANUAL_MOVE, by, false);
    }

    @Transactional
    Result split(long mailId, String by) {
        incidents.lockThreading(settings.threadingTimeout());
        StoredMail mail = mail(mailId);
        IncidentRef created = incidents.open(
                settings.codePrefix(),
                mail.sentAt(),
                Subjects.clean(mail.subject()),
                null,
                null,
                LocationExtractor.Location.NONE,
                null);
        events.publishEvent(new IncidentOpened(created.id(), created.code(), mail.id()));
        return relink(mailId, created, MatchMethod.MANUAL_SPLIT, by, true);
    }

    /** Moves the mail and its followers to {@code target}; {@code opened}: the mail has just opened it. */
    private Result relink(long mailId, IncidentRef target, MatchMethod method, String by, boolean opened) {
        StoredMail mail = mail(mailId);
        List<StoredMail> moving = followers(mail);
        Set<Long> sources = new LinkedHashSet<>();
        for (StoredMail m : moving) {
            if (m.incidentId() != null) sources.add(m.incidentId());
            mails.link(m.id(), target.id(), method, by);
            events.publishEvent(new MailThreaded(m.id(), target.id(), method, false, opened && m.id() == mailId));
        }
        List<Long> ids = moving.stream().map(StoredMail::id).toList();
        String detail = json.writeValueAsString(
                Map.of("mails", ids, "to", target.code(), "by", by, "from", sourceCodes(sources)));
        incidents.recordEvent(target.id(), IncidentEventKind.movedIn(method), detail);
        for (long source : sources) {
            if (source != target.id()) incidents.recordEvent(source, IncidentEventKind.movedOut(method), detail);
        }
        return new Result(target.code(), ids);
    }

    /** The mail and every reply that follows from it within the same incident (or, unlinked, any reply). */
    private List<StoredMail> followers(StoredMail start) {
        List<StoredMail> result = new ArrayList<>();
        Set<Long> seen = new LinkedHashSet<>();
        Deque<StoredMail> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            StoredMail m = queue.poll();
            if (!seen.add(m.id())) continue;
            result.add(m);
            for (StoredMail reply : mails.replies(m.messageId())) {
                if (java.util.Objects.equals(reply.incidentId(), start.incidentId())) queue.add(reply);
            }
        }
        return result;
    }

    private List<String> sourceCodes(Set<Long> sources) {
        return sources.stream()
                .map(id -> incidents.byId(id).map(IncidentRef::code).orElse(String.valueOf(id)))
                .toList();
    }

    private StoredMail mail(long id) {
        return mails.byId(id).orElseThrow(() -> new NoSuchElementException("no mail " + id));
    }
}
