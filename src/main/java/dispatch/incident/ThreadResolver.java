package dispatch.incident;

import dispatch.incident.Conversations.Conversation;
import dispatch.incident.Conversations.Relative;
import dispatch.incident.IncidentStore.IncidentRef;
import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.OwnMessageIds;
import dispatch.mail.StoredMail;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Finds the incident a mail belongs to. Rules in order, first match wins: In-Reply-To, References (newest first),
 * a reply that already arrived (the mail is the late original), our own signed Message-IDs, another reply to the
 * same message when that message is not in the mailbox, an incident code or Tracker key in the subject. Every
 * incident any rule points at is collected, so a conflict is seen; {@link #choose} settles it.
 */
@Component
class ThreadResolver {

    /** A candidate incident and the rule that found it. */
    record Match(IncidentRef incident, MatchMethod method, String detail) {}

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

    /**
     * All candidate incidents, in rule order, one entry per incident (the first rule that found it). The conversation
     * brings the incidents of related mails; the codes all rules name are looked up in one query.
     */
    List<Match> candidates(StoredMail mail, Conversation conversation) {
        return candidates(
                mail, conversation, ownIds::incidentCode, incidents::byCodes, incident -> knownSender(mail, incident));
    }

    /**
     * The rules themselves, with what they look up passed in.
     *
     * @param ownCode the incident code signed into one of our own Message-IDs
     * @param byCodes the incidents with these codes or Tracker keys
     * @param subjectMayJoin whether a code in the subject may join the mail to this incident
     */
    static List<Match> candidates(
            StoredMail mail,
            Conversation conversation,
            Function<String, Optional<String>> ownCode,
            Function<Set<String>, Map<String, IncidentRef>> byCodes,
            Predicate<IncidentRef> subjectMayJoin) {
        List<Lead> leads = leads(mail, conversation, ownCode);
        Map<String, IncidentRef> byCode = byCodes.apply(
                leads.stream().map(Lead::code).filter(Objects::nonNull).collect(Collectors.toSet()));
        Map<Long, Match> matches = new LinkedHashMap<>();
        for (Lead lead : leads) {
            IncidentRef incident = lead.incident() != null ? lead.incident() : byCode.get(lead.code());
            if (incident != null
                    && !matches.containsKey(incident.id())
                    && (lead.method() != MatchMethod.SUBJECT_CODE || subjectMayJoin.test(incident))) {
                matches.put(incident.id(), new Match(incident, lead.method(), lead.detail()));
            }
        }
        return new ArrayList<>(matches.values());
    }

    /** The most recent open incident wins a conflict; with none open, the most recent one. */
    static Match choose(List<Match> candidates) {
        return candidates.stream()
                .max(Comparator.comparing((Match m) -> m.incident().open())
                        .thenComparing(m -> m.incident().createdAt())
                        .thenComparing(m -> m.incident().id()))
                .orElseThrow();
    }

    /** What each rule points at, in rule order: an incident, or a code still to be looked up. */
    private record Lead(
            MatchMethod method,
            String detail,
            @Nullable IncidentRef incident,
            @Nullable String code) {}

    private static List<Lead> leads(
            StoredMail mail, Conversation conversation, Function<String, Optional<String>> ownCode) {
        List<String> ids = new ArrayList<>();
        if (mail.inReplyTo() != null) ids.add(mail.inReplyTo());
        List<String> newestFirst = new ArrayList<>(mail.references());
        Collections.reverse(newestFirst);
        ids.addAll(newestFirst);
        List<Lead> leads = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Relative parent = conversation.parents().get(ids.get(i));
            if (parent != null && parent.incident() != null) {
                MatchMethod method =
                        i == 0 && mail.inReplyTo() != null ? MatchMethod.IN_REPLY_TO : MatchMethod.REFERENCES;
                leads.add(new Lead(method, ids.get(i), parent.incident(), null));
            }
        }
        addReplies(leads, mail, conversation.repliesTo(mail.messageId()), MatchMethod.REPLY_ARRIVED_FIRST);
        for (String id : ids) {
            ownCode.apply(id).ifPresent(code -> leads.add(new Lead(MatchMethod.OWN_MESSAGE_ID, id, null, code)));
        }
        // Two answers to one original the mailbox has not seen (yet) are one conversation.
        for (String id : ids) {
            if (!conversation.parents().containsKey(id)) {
                addReplies(leads, mail, conversation.repliesTo(id), MatchMethod.SIBLING_REPLY);
            }
        }
        for (String code : codesInSubject(mail.subject())) {
            leads.add(new Lead(MatchMethod.SUBJECT_CODE, code, null, code));
        }
        return leads;
    }

    private static void addReplies(List<Lead> leads, StoredMail mail, List<Relative> replies, MatchMethod method) {
        for (Relative reply : replies) {
            if (reply.incident() != null && reply.id() != mail.id()) {
                leads.add(new Lead(method, reply.messageId(), reply.incident(), null));
            }
        }
    }

    /** Whether a code in the subject may join the incident: anyone's, unless restricted to senders who took part. */
    private boolean knownSender(StoredMail mail, IncidentRef incident) {
        return !settings.subjectCodeFromKnownSendersOnly()
                || (mail.fromAddress() != null && mails.tookPart(incident.id(), mail.fromAddress()));
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
}
