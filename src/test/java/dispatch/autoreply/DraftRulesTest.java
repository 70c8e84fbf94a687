package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.AutoKind;
import dispatch.mail.MailOrigin;
import dispatch.mail.MatchMethod;
import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Who an auto-reply answers and what the contractor's hand-over quotes (no Spring, no database). */
class DraftRulesTest {

    private static final Instant T = Instant.parse("2026-03-01T08:00:00Z");
    private static final Recipients NONE = new Recipients(List.of(), List.of(), List.of());

    @Test
    void theAnswerGoesToWhoeverOpenedTheIncidentNotToAnEarlierMailJoinedLater() {
        StoredMail ours = mail(1, "dispatch@tower.example", true, MailOrigin.EXTERNAL, AutoKind.NONE, null, "x");
        StoredMail earlier =
                mail(2, "early@op.example", false, MailOrigin.EXTERNAL, AutoKind.NONE, MatchMethod.REFERENCES, "x");
        StoredMail opener =
                mail(3, "opener@op.example", false, MailOrigin.EXTERNAL, AutoKind.NONE, MatchMethod.NEW_INCIDENT, "x");

        assertThat(DraftRules.requesterMail(List.of(ours, earlier, opener))).isEqualTo(opener);
        assertThat(DraftRules.requesterMail(List.of(ours, earlier)))
                .as("none opened it: the earliest")
                .isEqualTo(earlier);
    }

    @Test
    void noPersonFromOutsideMeansNoRequester() {
        List<StoredMail> onlyMachines = List.of(
                mail(
                        1,
                        "dispatch@tower.example",
                        true,
                        MailOrigin.EXTERNAL,
                        AutoKind.NONE,
                        MatchMethod.NEW_INCIDENT,
                        "x"),
                mail(
                        2,
                        "robot@tracker.example",
                        false,
                        MailOrigin.TRACKER,
                        AutoKind.NONE,
                        MatchMethod.NEW_INCIDENT,
                        "x"),
                mail(
                        3,
                        "away@op.example",
                        false,
                        MailOrigin.EXTERNAL,
                        AutoKind.AUTO_REPLY,
                        MatchMethod.NEW_INCIDENT,
                        "x"),
                mail(4, null, false, MailOrigin.EXTERNAL, AutoKind.NONE, MatchMethod.NEW_INCIDENT, "x"));

        assertThat(DraftRules.requesterMail(onlyMachines)).isNull();
    }

    @Test
    void theWebFormNamesTheRequesterAndObserversElseReplyToElseTheSender() {
        StoredMail first = mail(1, "noc@op.example", false, MailOrigin.EXTERNAL, AutoKind.NONE, null, "x");
        Recipients sent = new Recipients(List.of("dispatch@tower.example"), List.of("boss@op.example"), List.of());
        Optional<WebForm> form = Optional.of(new WebForm("ivanov@client.example", List.of("petrov@client.example")));

        assertThat(DraftRules.requesters(first, sent, form)).containsExactly("ivanov@client.example");
        assertThat(DraftRules.copied(sent, form))
                .containsExactly("petrov@client.example", "dispatch@tower.example", "boss@op.example");
        Recipients replyTo = new Recipients(List.of(), List.of(), List.of("desk@op.example"));
        assertThat(DraftRules.requesters(first, replyTo, Optional.empty())).containsExactly("desk@op.example");
        assertThat(DraftRules.requesters(first, NONE, Optional.empty())).containsExactly("noc@op.example");
    }

    @Test
    void theHandOverQuotesPeoplesMailInOrderCutAndNumberedWithoutAutomaticOrEmptyOnes() {
        String longText = "а".repeat(DraftRules.PREVIEW + 10);
        List<StoredMail> correspondence = List.of(
                mail(1, "a@op.example", false, MailOrigin.EXTERNAL, AutoKind.NONE, null, "  Нет связи  "),
                mail(2, "away@op.example", false, MailOrigin.EXTERNAL, AutoKind.AUTO_REPLY, null, "Я в отпуске"),
                mail(3, "b@op.example", false, MailOrigin.EXTERNAL, AutoKind.NONE, null, " \n "),
                undated(mail(4, "c@op.example", false, MailOrigin.EXTERNAL, AutoKind.NONE, null, longText)));

        var history = DraftRules.history(correspondence, at -> "at " + at);

        assertThat(history).hasSize(2);
        assertThat(history.get(0))
                .containsEntry("number", 1)
                .containsEntry("text", "Нет связи")
                .containsEntry("sentAt", "at " + T);
        assertThat(history.get(1))
                .containsEntry("number", 2)
                .containsEntry("sentAt", "—")
                .containsEntry("text", longText.substring(0, DraftRules.PREVIEW) + " ...");
    }

    @Test
    void coordinatesNeedBothHalves() {
        assertThat(DraftRules.coordinates(55.75, 37.62)).isEqualTo("55.75, 37.62");
        assertThat(DraftRules.coordinates(55.75, null)).isEmpty();
        assertThat(DraftRules.coordinates(Double.NaN, 37.62)).isEmpty();
    }

    private static StoredMail mail(
            long id, String from, boolean outbound, MailOrigin origin, AutoKind auto, MatchMethod method, String body) {
        return new StoredMail(
                id, "<" + id + "@op>", null, List.of(), "авария", from, T, outbound, origin, auto, body, 9L, method);
    }

    private static StoredMail undated(StoredMail m) {
        return new StoredMail(
                m.id(),
                m.messageId(),
                m.inReplyTo(),
                m.references(),
                m.subject(),
                m.fromAddress(),
                null,
                m.outbound(),
                m.origin(),
                m.autoKind(),
                m.bodyText(),
                m.incidentId(),
                m.matchMethod());
    }
}
