package dispatch.tracker;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailFlow;
import dispatch.standin.tracker.FakeTracker;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The times the SLA and the contractor report rest on, and mail after an incident was closed, end to end: GreenMail,
 * the fake Tracker with its workflow, the embedded database.
 */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
class ClosingIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    TrackerPull pull;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ShiftedClock clock;

    FakeTracker tracker;
    MailFlow flow;

    @BeforeEach
    void clean() throws Exception {
        tracker = standIns.tracker();
        tracker.reset();
        flow = new MailFlow(standIns, intake, threading, outbox, jdbc);
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox cascade");
        jdbc.update("delete from sync_state where key like 'tracker.%'");
    }

    @Test
    void aDateHoursAheadOfTheServersDeliveryTimeIsReplacedByItAndTheIssueSaysSo() {
        Instant declared = Instant.now().plus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        Instant before = Instant.now().minusSeconds(1);

        flow.receive(mail("robot-wrong-zone@op.example").at(declared).body("Авария на опоре 50123-01"));

        Map<String, Object> mail = jdbc.queryForMap("select sent_at, declared_sent_at, notes from email_message");
        Instant sentAt = ((Timestamp) mail.get("sent_at")).toInstant();
        assertThat(sentAt).isBetween(before.truncatedTo(ChronoUnit.SECONDS), Instant.now());
        assertThat(((Timestamp) mail.get("declared_sent_at")).toInstant()).isEqualTo(declared);
        assertThat((String) mail.get("notes")).contains("delivery time used");
        Instant incidentAt = jdbc.queryForObject("select incident_at from incident", Timestamp.class)
                .toInstant();
        assertThat(incidentAt).isEqualTo(sentAt);
        String description = (String) tracker.issues().get(0).get("description");
        assertThat(description).contains("позже времени его получения сервером");
    }

    @Test
    void aDateWithinAFewMinutesOfTheDeliveryTimeIsKept() {
        Instant declared = Instant.now().plus(2, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);

        flow.receive(mail("skewed-clock@op.example").at(declared));

        assertThat(jdbc.queryForObject("select sent_at from email_message", Timestamp.class)
                        .toInstant())
                .isEqualTo(declared);
        assertThat(jdbc.queryForObject("select count(declared_sent_at) from email_message", Long.class))
                .isZero();
        assertThat((String) tracker.issues().get(0).get("description")).doesNotContain("позже времени");
    }

    @Test
    void aReplyAfterClosingWithinTheWindowReopensTheIssueNamingTheSender() {
        String key = closedIncident();
        long incident = jdbc.queryForObject("select id from incident", Long.class);

        flow.receive(mail("late-reply@op.example")
                .from("engineer@op.example")
                .replyTo("first@op.example")
                .at(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        assertThat(tracker.statusKey(key)).isEqualTo("open");
        assertThat(tracker.commentTexts(key))
                .anySatisfy(c ->
                        assertThat(c).contains("переоткрыта").contains(MailMarkdown.escape("engineer@op.example")));
        assertThat(jdbc.queryForObject("select finished_at from incident where id = ?", Timestamp.class, incident))
                .isNull();
        Map<String, Object> latest = jdbc.queryForMap("""
                select s.name, h.comment from incident_status_history h join incident_status s on s.id = h.status_id
                where h.incident_id = ? order by h.at desc, h.id desc limit 1""", incident);
        assertThat(latest).containsEntry("name", "В работе");
        assertThat((String) latest.get("comment")).contains("engineer@op.example");
        assertThat(jdbc.queryForObject("select count(*) from incident", Long.class))
                .isOne();
    }

    @Test
    void aPullBeforeTheReopenReachedTrackerDoesNotCloseTheIncidentAgain() {
        String key = closedIncident();
        flow.store(mail("late-reply@op.example")
                .from("engineer@op.example")
                .replyTo("first@op.example")
                .at(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        assertThat(tracker.statusKey(key))
                .as("the reopen has not reached Tracker")
                .isEqualTo("closed");
        jdbc.update("delete from sync_state where key = 'tracker.pull.last-full-sweep'");
        pull.pullOnce(); // a full sweep: the issue is still closed, the incident open

        assertThat(jdbc.queryForObject("select count(finished_at) from incident", Long.class))
                .isZero();
        flow.drainOutbox();
        assertThat(tracker.statusKey(key)).isEqualTo("open");
    }

    @Test
    void aReplyAfterTheWindowOpensANewIncidentAndLeavesTheOldIssueClosed() {
        String key = closedIncident();
        jdbc.update("update incident set finished_at = now() - interval '73 hours'");

        flow.receive(mail("much-later@op.example")
                .from("engineer@op.example")
                .replyTo("first@op.example")
                .at(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        assertThat(tracker.statusKey(key)).isEqualTo("closed");
        assertThat(jdbc.queryForList("select match_method from email_message order by id", String.class))
                .containsExactly("NEW_INCIDENT", "CONTINUES_CLOSED");
        assertThat(tracker.issues()).hasSize(2);
    }

    @Test
    void anAutomaticReplyAfterClosingDoesNotReopen() {
        String key = closedIncident();

        flow.receive(mail("out-of-office@op.example")
                .from("engineer@op.example")
                .replyTo("first@op.example")
                .header("Auto-Submitted: auto-replied")
                .at(Instant.now().truncatedTo(ChronoUnit.SECONDS)));

        assertThat(tracker.statusKey(key)).isEqualTo("closed");
        assertThat(jdbc.queryForObject("select count(finished_at) from incident", Long.class))
                .isOne();
    }

    /**
     * The fake Tracker's clock runs ahead of Dispatch's here, as after an outage the pull runs behind Tracker: every
     * pull notices a change at another time than Tracker made it. The report shows Tracker's.
     */
    @Test
    void contractorHandOverAndFinishInTheReportAreTrackersTimesNotWhenThePullNoticedThem() {
        flow.receive(mail("handover@op.example")
                .at(Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));
        String key = (String) tracker.issues().get(0).get("key");
        long incident = jdbc.queryForObject("select id from incident", Long.class);
        tracker.editAsDispatcher(key, Map.of(tracker.localFieldId("typeOfIncident"), "Угроза гибели / гибель объекта"));
        tracker.transition(key, "notifiedContractorInWork"); // handed over by phone, set by hand
        pull.pullOnce();
        Instant handedOver = PullFixture.trackerTime(tracker.issue(key).get("statusStartTime"));

        clock.shift(Duration.ofHours(5));
        tracker.advanceClock(Duration.ofHours(5));
        tracker.transition(key, "closed");
        pull.pullOnce();
        Instant resolved = PullFixture.trackerTime(tracker.issue(key).get("resolvedAt"));

        jdbc.queryForObject("select incident_report_refresh_stale()", Integer.class);
        Map<String, Object> row = jdbc.queryForMap(
                "select handed_over_at, vendor_finished_at, finished_at from incident_report where incident_id = ?",
                incident);
        assertThat(((Timestamp) row.get("handed_over_at")).toInstant()).isEqualTo(handedOver);
        assertThat(((Timestamp) row.get("vendor_finished_at")).toInstant()).isEqualTo(resolved);
        assertThat(((Timestamp) row.get("finished_at")).toInstant()).isEqualTo(resolved);
        // 5 h from hand-over to finish in Tracker's time against a 4 h SLA: late, however soon Dispatch noticed.
        assertThat(Duration.between(handedOver, resolved)).isGreaterThan(Duration.ofHours(4));
    }

    /** An incident opened by mail {@code first@op.example}, its issue closed by a dispatcher and pulled. */
    private String closedIncident() {
        flow.receive(mail("first@op.example")
                .at(Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS)));
        String key = (String) tracker.issues().get(0).get("key");
        tracker.transition(key, "closed");
        pull.pullOnce();
        assertThat(jdbc.queryForObject("select count(finished_at) from incident", Long.class))
                .isOne();
        return key;
    }
}
