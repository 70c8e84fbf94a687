package dispatch.tracker;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.DispatchProperties;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailFlow;
import dispatch.standin.tracker.FakeTracker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who gets a new incident: only dispatchers Tracker knows (checked against its users endpoint), those on shift first
 * (the shifts file), and with nobody on shift the least loaded known one. Configured: {@code dispatcher} and
 * {@code petrov}, both Tracker users of the fake.
 */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
class DispatchersIntegrationTest {

    private static final AtomicInteger MAILS = new AtomicInteger();

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    DispatcherDirectory directory;

    @Autowired
    DispatchProperties platform;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    /** The application's clock: other tests sharing this context may have moved it days ahead of the system's. */
    @Autowired
    Clock clock;

    @LocalServerPort
    int port;

    FakeTracker tracker;
    MailFlow flow;
    Path shiftsFile;

    @BeforeEach
    void clean() throws Exception {
        tracker = standIns.tracker();
        tracker.reset();
        flow = new MailFlow(standIns, intake, threading, outbox, jdbc);
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox cascade");
        jdbc.update("update dispatcher set active = login in ('dispatcher', 'petrov'), last_assigned_at = null");
        shiftsFile = platform.dataDirectory().resolve("shifts.txt");
        Files.deleteIfExists(shiftsFile);
        directory.refresh();
    }

    @AfterEach
    void restore() throws Exception {
        Files.deleteIfExists(shiftsFile);
        jdbc.update("update dispatcher set active = login in ('dispatcher', 'petrov')");
        directory.refresh();
    }

    @Test
    void aLoginTrackerDoesNotKnowGetsNoIncidentAndHealthNamesItForAdmins() throws Exception {
        jdbc.update(
                "insert into dispatcher (login) values ('departed') on conflict (login) do update set active = true");
        // The others were assigned recently: without the check, the new login would be next.
        jdbc.update("update dispatcher set last_assigned_at = now() where login <> 'departed'");

        directory.refresh();
        String issueAssignee = assigneeOfNewIncident();

        assertThat(directory.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(directory.health().getDetails().get("unknown").toString()).contains("departed");
        assertThat(lastIncidentDispatcher()).isIn("dispatcher", "petrov");
        assertThat(issueAssignee).isEqualTo(lastIncidentDispatcher());
        HttpResponse<String> asAdmin = health(StandIns.ADMIN_TOKEN);
        assertThat(asAdmin.body()).contains("\"dispatchers\"").contains("departed");
        assertThat(health(null).body()).doesNotContain("departed");
    }

    @Test
    void onlyDispatchersOnShiftGetNewIncidents() throws Exception {
        LocalDate today = today();
        writeShifts("dispatcher mon-sun 00:00-24:00", "petrov mon-sun 00:00-24:00", "petrov off " + today);
        jdbc.update("update dispatcher set last_assigned_at = now() where login = 'dispatcher'");

        assigneeOfNewIncident();

        assertThat(lastIncidentDispatcher()).isEqualTo("dispatcher");
    }

    @Test
    void withNobodyOnShiftTheLeastLoadedKnownDispatcherGetsTheIncident() throws Exception {
        writeShifts("dispatcher mon-sun 00:00-24:00");
        assigneeOfNewIncident(); // dispatcher: one open incident, petrov none
        LocalDate today = today();
        writeShifts("dispatcher off " + today, "petrov off " + today);

        assigneeOfNewIncident();

        assertThat(lastIncidentDispatcher()).isEqualTo("petrov");
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), platform.timeZone());
    }

    private void writeShifts(String... lines) throws Exception {
        Files.createDirectories(shiftsFile.getParent());
        Files.write(shiftsFile, List.of(lines));
        // Every write gets a later modification time, so the change is seen however coarse the file system's clock.
        Files.setLastModifiedTime(shiftsFile, FileTime.from(Instant.now().plusSeconds(MAILS.incrementAndGet())));
    }

    /** A new mail opens an incident; returns its issue's assignee login (null when none). */
    private String assigneeOfNewIncident() {
        flow.receive(mail("shift-" + MAILS.incrementAndGet() + "@op.example"));
        Map<String, Object> issue = tracker.issues().get(tracker.issues().size() - 1);
        Object assignee = issue.get("assignee");
        if (assignee == null) return null;
        String uid = String.valueOf(((Map<?, ?>) assignee).get("id"));
        return tracker.settings().users().stream()
                .filter(u -> String.valueOf(u.uid()).equals(uid))
                .map(FakeTracker.User::login)
                .findFirst()
                .orElse(uid);
    }

    private String lastIncidentDispatcher() {
        return jdbc.queryForObject(
                "select d.login from incident i left join dispatcher d on d.id = i.dispatcher_id order by i.id desc limit 1",
                String.class);
    }

    private HttpResponse<String> health(String token) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"));
        if (token != null) request.header("Authorization", "Bearer " + token);
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
