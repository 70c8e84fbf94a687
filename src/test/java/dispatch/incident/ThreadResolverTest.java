package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Conversations.Conversation;
import dispatch.incident.Conversations.Relative;
import dispatch.incident.IncidentStore.IncidentRef;
import dispatch.incident.ThreadResolver.Match;
import dispatch.mail.AutoKind;
import dispatch.mail.MailOrigin;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Which incident a mail belongs to, from its headers, its conversation and its subject (no database). */
class ThreadResolverTest {

    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final IncidentRef INC_1 = open(1, "INC-1", T0);
    private static final IncidentRef INC_2 = open(2, "INC-2", T0.plusSeconds(60));

    private final Map<String, Relative> parents = new HashMap<>();
    private final Map<String, List<Relative>> replies = new HashMap<>();
    private final Map<String, IncidentRef> byCode = new HashMap<>(Map.of("INC-1", INC_1, "INC-2", INC_2));
    private final Map<String, String> ownIds = new HashMap<>();
    private Predicate<IncidentRef> subjectMayJoin = incident -> true;

    @Test
    void aReplyJoinsTheIncidentOfTheMailItAnswers() {
        stored("<a@op>", INC_1);

        assertThat(candidates(mail("<r@op>", "<a@op>", List.of(), "Re: авария")))
                .singleElement()
                .satisfies(m -> assertMatch(m, INC_1, MatchMethod.IN_REPLY_TO, "<a@op>"));
    }

    @Test
    void withoutInReplyToTheNewestKnownReferenceWins() {
        stored("<old@op>", INC_1);
        stored("<new@op>", INC_2);

        List<Match> found = candidates(mail("<r@op>", null, List.of("<old@op>", "<gone@op>", "<new@op>"), "Re:"));

        assertThat(found).extracting(m -> m.incident().code()).containsExactly("INC-2", "INC-1");
        assertMatch(found.get(0), INC_2, MatchMethod.REFERENCES, "<new@op>");
    }

    @Test
    void aCodeInTheSubjectJoinsItsIncidentOnlyWhenTheSenderMay() {
        StoredMail mail = mail("<n@op>", null, List.of(), "Вопрос по заявке INC-2, опора 12345-01");

        assertThat(candidates(mail))
                .singleElement()
                .satisfies(m -> assertMatch(m, INC_2, MatchMethod.SUBJECT_CODE, "INC-2"));

        subjectMayJoin = incident -> false;
        assertThat(candidates(mail))
                .as("a stranger naming a code opens a new incident")
                .isEmpty();
    }

    @Test
    void codesInTheSubjectAreWholeWordsNotPoleCodesOrPartsOfOtherWords() {
        assertThat(ThreadResolver.codesInSubject("RE:INC-5 и DISPATCH-17; опора 12345-01, кодINC-3, INC-4a, ПРОЕКТ-9"))
                .containsExactly("INC-5", "DISPATCH-17");
        assertThat(ThreadResolver.codesInSubject(null)).isEmpty();
    }

    @Test
    void ourOwnMessageIdNamesItsIncidentWhenTheMailItAnswersIsNotStored() {
        ownIds.put("<auto-7@dispatch>", "INC-1");

        assertThat(candidates(mail("<r@op>", "<auto-7@dispatch>", List.of(), "Re: Ваша заявка")))
                .singleElement()
                .satisfies(m -> assertMatch(m, INC_1, MatchMethod.OWN_MESSAGE_ID, "<auto-7@dispatch>"));
    }

    @Test
    void anOriginalArrivingAfterItsReplyJoinsTheReplysIncident() {
        replies.put("<orig@op>", List.of(new Relative(5, "<reply@op>", INC_2, MatchMethod.NEW_INCIDENT)));

        assertThat(candidates(mail("<orig@op>", null, List.of(), "авария")))
                .singleElement()
                .satisfies(m -> assertMatch(m, INC_2, MatchMethod.REPLY_ARRIVED_FIRST, "<reply@op>"));
    }

    @Test
    void twoAnswersToAnUnseenMessageAreOneConversation() {
        replies.put("<unseen@op>", List.of(new Relative(5, "<first@op>", INC_1, MatchMethod.NEW_INCIDENT)));

        assertThat(candidates(mail("<second@op>", "<unseen@op>", List.of(), "Re: авария")))
                .singleElement()
                .satisfies(m -> assertMatch(m, INC_1, MatchMethod.SIBLING_REPLY, "<first@op>"));
    }

    @Test
    void eachIncidentIsNamedOnceByTheFirstRuleThatFoundIt() {
        stored("<a@op>", INC_1);

        assertThat(candidates(mail("<r@op>", "<a@op>", List.of("<a@op>"), "Re: INC-1")))
                .singleElement()
                .satisfies(m -> assertThat(m.method()).isEqualTo(MatchMethod.IN_REPLY_TO));
    }

    @Test
    void aConflictGoesToTheNewestOpenIncidentAndWithNoneOpenToTheNewest() {
        IncidentRef closedNewest = new IncidentRef(3, "INC-3", null, T0.plusSeconds(600), T0.plusSeconds(900), false);
        Match older = new Match(INC_1, MatchMethod.IN_REPLY_TO, "x");
        Match newer = new Match(INC_2, MatchMethod.SUBJECT_CODE, "INC-2");
        Match closed = new Match(closedNewest, MatchMethod.REFERENCES, "y");

        assertThat(ThreadResolver.choose(List.of(older, closed, newer))).isEqualTo(newer);
        IncidentRef closedOlder = new IncidentRef(4, "INC-4", null, T0, T0.plusSeconds(60), false);
        assertThat(ThreadResolver.choose(List.of(closed, new Match(closedOlder, MatchMethod.IN_REPLY_TO, "z"))))
                .isEqualTo(closed);
    }

    private List<Match> candidates(StoredMail mail) {
        return ThreadResolver.candidates(
                mail,
                new Conversation(parents, replies),
                id -> Optional.ofNullable(ownIds.get(id)),
                codes -> {
                    Map<String, IncidentRef> found = new HashMap<>(byCode);
                    found.keySet().retainAll(codes);
                    return found;
                },
                subjectMayJoin);
    }

    private void stored(String messageId, IncidentRef incident) {
        parents.put(messageId, new Relative(parents.size() + 100, messageId, incident, MatchMethod.NEW_INCIDENT));
    }

    private static void assertMatch(Match match, IncidentRef incident, MatchMethod method, String detail) {
        assertThat(match).isEqualTo(new Match(incident, method, detail));
    }

    private static IncidentRef open(long id, String code, Instant created) {
        return new IncidentRef(id, code, null, created, null, false);
    }

    static StoredMail mail(String messageId, String inReplyTo, List<String> references, String subject) {
        return new StoredMail(
                42,
                messageId,
                inReplyTo,
                references,
                subject,
                "noc@operator.example",
                T0.plusSeconds(3600),
                false,
                MailOrigin.EXTERNAL,
                AutoKind.NONE,
                "",
                null,
                null);
    }
}
