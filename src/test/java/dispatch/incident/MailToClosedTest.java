package dispatch.incident;

import static dispatch.incident.IncidentProperties.AfterClosing.ASK_FOR_NEW_REQUEST;
import static dispatch.incident.IncidentProperties.AfterClosing.REOPEN;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.AutoKind;
import dispatch.mail.MailOrigin;
import dispatch.mail.StoredMail;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a mail does to the closed incident it answers (README "Mail after closing"). */
class MailToClosedTest {

    private static final Instant CLOSED = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration WINDOW = Duration.ofHours(72);

    @Test
    void aPersonWritingWithinTheWindowReopensOrIsToldItIsClosedAsConfigured() {
        StoredMail mail = person(CLOSED.plus(WINDOW));

        assertThat(MailToClosed.of(mail, CLOSED, later(), WINDOW, REOPEN)).isEqualTo(MailToClosed.REOPEN);
        assertThat(MailToClosed.of(mail, CLOSED, later(), WINDOW, ASK_FOR_NEW_REQUEST))
                .isEqualTo(MailToClosed.ATTACH_AND_TELL);
    }

    @Test
    void aPersonWritingAfterTheWindowOpensANewIncident() {
        StoredMail mail = person(CLOSED.plus(WINDOW).plusSeconds(1));

        assertThat(MailToClosed.of(mail, CLOSED, later(), WINDOW, REOPEN)).isEqualTo(MailToClosed.NEW_INCIDENT);
    }

    @Test
    void automaticTrackerAndOurOwnMailNeverReopenNorOpen() {
        Instant within = CLOSED.plusSeconds(60);
        Instant after = CLOSED.plus(WINDOW).plusSeconds(60);
        for (StoredMail mail : List.of(
                with(within, false, MailOrigin.EXTERNAL, AutoKind.AUTO_REPLY),
                with(within, false, MailOrigin.EXTERNAL, AutoKind.BOUNCE),
                with(within, true, MailOrigin.EXTERNAL, AutoKind.NONE),
                with(within, false, MailOrigin.TRACKER, AutoKind.NONE),
                with(within, false, MailOrigin.SELF, AutoKind.NONE))) {
            assertThat(MailToClosed.of(mail, CLOSED, later(), WINDOW, REOPEN)).isEqualTo(MailToClosed.ATTACH);
        }
        StoredMail outOfOffice = with(after, false, MailOrigin.EXTERNAL, AutoKind.AUTO_REPLY);
        assertThat(MailToClosed.of(outOfOffice, CLOSED, later(), WINDOW, REOPEN))
                .isEqualTo(MailToClosed.LINK);
    }

    @Test
    void aMailWithoutADateCountsFromWhenItIsThreaded() {
        StoredMail undated = person(null);

        assertThat(MailToClosed.of(undated, CLOSED, CLOSED.plusSeconds(60), WINDOW, REOPEN))
                .isEqualTo(MailToClosed.REOPEN);
        assertThat(MailToClosed.of(undated, CLOSED, CLOSED.plus(WINDOW).plusSeconds(60), WINDOW, REOPEN))
                .isEqualTo(MailToClosed.NEW_INCIDENT);
    }

    private static Instant later() {
        return CLOSED.plus(Duration.ofDays(30));
    }

    private static StoredMail person(Instant sentAt) {
        return with(sentAt, false, MailOrigin.EXTERNAL, AutoKind.NONE);
    }

    private static StoredMail with(Instant sentAt, boolean outbound, MailOrigin origin, AutoKind autoKind) {
        return new StoredMail(
                7,
                "<m@op>",
                "<a@dispatch>",
                List.of(),
                "Re: INC-1",
                "noc@operator.example",
                sentAt,
                outbound,
                origin,
                autoKind,
                "",
                null,
                null);
    }
}
