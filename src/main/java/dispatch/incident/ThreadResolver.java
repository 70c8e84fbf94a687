package dispatch.incident;

import dispatch.incident.IncidentStore.IncidentRef;
import dispatch.mail.Mails;
import dispatch.mail.OwnMessageIds;
import dispatch.mail.StoredMail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Finds the incident a mail belongs to. Rules in order, first match wins: In-Reply-To, References (newest first),
 * a reply that already arrived (the mail is the late original), our own signed Message-IDs, another reply to the
 * same message when that message is not in the mailbox, an incident code or Tracker key in the subject. Every
 * incident any rule points at is collected, so a conflict is seen.
 */
@Component
class ThreadResolver {

    /** How a mail was matched; stored on the mail. */
    enum Method {
        IN_REPLY_TO,
        REFERENCES,
        REPLY_ARRIVED_FIRST,
        OWN_MESSAGE_ID,
        SIBLING_REPLY,
        SUBJECT_CODE,
        NEW_INCIDENT,
        CONTINUES_CLOSED,
        LINKED_BY_REPLY,
        AUTO_REPLY_IGNORED,
        TRACKER_UNMATCHED,
        SENT_UNMATCHED,
        SELF_UNMATCHED
    }

    /** A candidate incident and the rule that found it. */
    record Match(IncidentRef incident, Method method, String detail) {}

    /** Codes like INC-1042 or DISPATCH-17: letters, a dash, digits, on word boundaries. */
    private static final Pattern CODE =
            Pattern.compile("(?<![\\p{L}\\p{N}_-])([A-Za-z][A-Za-z0-9]*-\\d+)(?![\\p{L}\\p{N}_])");

    private final Mails mails;
    private final IncidentStore incidents;
    private final OwnMessageIds ownIds;
    private final IncidentProperties settings;

    ThreadResolver(Mails mails, IncidentStore incidents, OwnMessageIds ownIds, IncidentProperties settings) {
        this.mails = mails;
        this.incidents = incidents;
        this.ownIds = ownIds;
        this.settings = settings;
    }

    /** All candidate incidents, in rule order, one entry per incident (the first rule that found it). */
    List<Match> candidates(StoredMail mail) {
        Map<Long, Match> found = new LinkedHashMap<>();
        if (mail.inReplyTo() != null) {
            incidentOfMessage(mail.inReplyTo()).ifPresent(i -> add(found, i, Method.IN_REPLY_TO, mail.inReplyTo()));
        }
        List<String> newestFirst = new ArrayList<>(mail.references());
        java.util.Collections.reverse(newestFirst);
        for (String ref : newestFirst) {
            incidentOfMessage(ref).ifPresent(i -> add(found, i, Method.REFERENCES, ref));
        }
        for (StoredMail reply : mails.replies(mail.messageId())) {
            if (reply.incidentId() != null && reply.id() != mail.id()) {
                incidents
                        .byId(reply.incidentId())
                        .ifPresent(i -> add(found, i, Method.REPLY_ARRIVED_FIRST, reply.messageId()));
            }
        }
        List<String> ids = new ArrayList<>();
        if (mail.inReplyTo() != null) ids.add(mail.inReplyTo());
        ids.addAll(newestFirst);
        for (String id : ids) {
            ownIds.incidentCode(id).flatMap(incidents::byCode).ifPresent(i -> add(found, i, Method.OWN_MESSAGE_ID, id));
        }
        // Two answers to one original the mailbox has not seen (yet) are one conversation.
        for (String id : ids) {
            if (mails.byMessageId(id).isEmpty()) {
                for (StoredMail sibling : mails.replies(id)) {
                    if (sibling.incidentId() != null && sibling.id() != mail.id()) {
                        incidents
                                .byId(sibling.incidentId())
                                .ifPresent(i -> add(found, i, Method.SIBLING_REPLY, sibling.messageId()));
                    }
                }
            }
        }
        for (String code : codesInSubject(mail.subject())) {
            Optional<IncidentRef> incident = incidents.byCode(code);
            if (incident.isPresent()
                    && (!settings.subjectCodeFromKnownSendersOnly()
                            || (mail.fromAddress() != null
                                    && mails.tookPart(incident.get().id(), mail.fromAddress())))) {
                add(found, incident.get(), Method.SUBJECT_CODE, code);
            }
        }
        return new ArrayList<>(found.values());
    }

    static List<String> codesInSubject(String subject) {
        List<String> codes = new ArrayList<>();
        if (subject == null) {
            return codes;
        }
        Matcher m = CODE.matcher(subject);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private Optional<IncidentRef> incidentOfMessage(String messageId) {
        return mails.byMessageId(messageId)
                .filter(m -> m.incidentId() != null)
                .flatMap(m -> incidents.byId(m.incidentId()));
    }

    private static void add(Map<Long, Match> found, IncidentRef incident, Method method, String detail) {
        found.putIfAbsent(incident.id(), new Match(incident, method, detail));
    }
}
