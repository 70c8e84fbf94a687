package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.HostileMails.Case;
import dispatch.mail.HostileMails.Outcome;
import dispatch.platform.OutboxWorker;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStoreImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Runs the hostile mails through the real IMAP path: appended raw to a server, read by {@link MailIntake}, threaded,
 * delivered to the fake Tracker. Each must end stored or quarantined as its case says, and a normal mail appended
 * after all of them must become a Tracker issue.
 */
final class HostileSuite {

    /** Where the mails go: an IMAP server's INBOX that the service reads. */
    record Server(String host, int port, String user, String password) {}

    /** What one run did. */
    record Figures(int messages, int stored, int quarantined, double seconds) {

        @Override
        public String toString() {
            return "%d messages, %d stored, %d quarantined, %.1f s".formatted(messages, stored, quarantined, seconds);
        }
    }

    private final MailIntake intake;
    private final Threading threading;
    private final OutboxWorker outbox;
    private final FakeTracker tracker;
    private final JdbcTemplate jdbc;
    private final TowerStoreImport towerStore;

    /** The suite on the service of a test context. */
    HostileSuite(ApplicationContext context) {
        this.intake = context.getBean(MailIntake.class);
        this.threading = context.getBean(Threading.class);
        this.outbox = context.getBean(OutboxWorker.class);
        this.tracker = context.getBean(StandIns.class).tracker();
        this.jdbc = context.getBean(JdbcTemplate.class);
        this.towerStore = context.getBean(TowerStoreImport.class);
    }

    Figures run(Server server, boolean extreme) throws Exception {
        towerStore.importAll();
        List<Case> cases = HostileMails.all(baseStationNames(), extreme);
        List<byte[]> raw = new ArrayList<>(cases.stream().map(Case::raw).toList());
        raw.add(HostileMails.normal());
        long start = System.nanoTime();
        List<Long> uids =
                RawImapAppend.append(server.host(), server.port(), server.user(), server.password(), "INBOX", raw);
        assertThat(uids).as("UIDs from APPENDUID").doesNotContain(-1L);

        MailIntake.Report report = intake.pollOnce();
        threading.threadPending();
        Map<String, Object> normal = awaitIssue(HostileMails.NORMAL_SUBJECT);
        double seconds = (System.nanoTime() - start) / 1e9;

        SoftAssertions soft = new SoftAssertions();
        soft.assertThat(report.failedFolders()).as("folders that stopped").isEmpty();
        int stored = 0;
        int quarantined = 0;
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            long uid = uids.get(i);
            List<Map<String, Object>> sighting = jdbc.queryForList("""
                    select m.subject, m.match_method, m.message_id from email_sighting s
                    join email_message m on m.id = s.email_message_id join mail_folder f on f.id = s.folder_id
                    where f.role = 'INBOX' and s.uid = ?""", uid);
            List<Map<String, Object>> quarantine = jdbc.queryForList("""
                    select q.reason, q.raw_sha256, q.raw_size from mail_quarantine q join mail_folder f on f.id = q.folder_id
                    where f.role = 'INBOX' and q.uid = ?""", uid);
            Outcome actual = !sighting.isEmpty() ? Outcome.STORED : !quarantine.isEmpty() ? Outcome.QUARANTINED : null;
            soft.assertThat(actual)
                    .as("%s (UID %d): %s", c.name(), uid, quarantine)
                    .isEqualTo(c.expected());
            if (actual == Outcome.STORED) {
                stored++;
                Map<String, Object> row = sighting.get(0);
                soft.assertThat(row.get("match_method"))
                        .as("%s threaded", c.name())
                        .isNotEqualTo("FAILED");
                soft.assertThat(((String) row.get("message_id")).length())
                        .as("%s id", c.name())
                        .isLessThanOrEqualTo(250);
                if (c.subject() != null)
                    soft.assertThat(row.get("subject")).as(c.name()).isEqualTo(c.subject());
            } else if (actual == Outcome.QUARANTINED) {
                quarantined++;
                Map<String, Object> row = quarantine.get(0);
                soft.assertThat((String) row.get("reason"))
                        .as("%s reason", c.name())
                        .isNotBlank();
                soft.assertThat(row.get("raw_sha256"))
                        .as("%s raw copy", c.name())
                        .isNotNull();
                soft.assertThat(((Number) row.get("raw_size")).longValue())
                        .as(c.name())
                        .isEqualTo(c.raw().length);
            }
        }
        soft.assertThat(normal).as("the normal mail's Tracker issue").isNotNull();
        soft.assertAll();
        return new Figures(cases.size() + 1, stored + 1, quarantined, seconds);
    }

    /** Delivers until the issue with this summary is in the fake Tracker (other deliveries may still be retrying). */
    private Map<String, Object> awaitIssue(String summary) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            outbox.drain();
            for (Map<String, Object> issue : tracker.issues()) {
                if (summary.equals(issue.get("summary"))) return issue;
            }
            Thread.sleep(20);
        }
        return null;
    }

    /** The names of the sample TowerStore's base stations, for a mass-outage mail naming all of them. */
    private static List<String> baseStationNames() throws IOException {
        String json = Files.readString(Path.of("data", "samples", "towerstore", "base_stations.json"));
        Matcher m =
                Pattern.compile("\"Имя БС/Оборудование\"\\s*:\\s*\"([^\"]+)\"").matcher(json);
        List<String> names = new ArrayList<>();
        while (m.find()) names.add(m.group(1));
        return names;
    }
}
