package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dispatch.mail.MailIntake;
import dispatch.mail.OwnMessageIds;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Thread scenarios as sets of {@code .eml} fixtures under {@code src/test/resources/threads/<NN-name>/}: each step
 * appends its files to GreenMail, polls once and threads; then every mail's incident (a letter), match method and the
 * number of incidents are checked. The format of {@code expected.json} is described in the README next to the
 * scenarios.
 */
@DispatchIntegrationTest
class ThreadingScenariosIntegrationTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<([^>\\r\\n]+)>");
    /** {@code {{OWN:INC-1000:1}}}: a signed Message-ID Dispatch would send for INC-1000 (same token, same id). */
    private static final Pattern OWN_ID = Pattern.compile("\\{\\{OWN:([A-Za-z0-9]+-\\d+)(?::[^}]*)?}}");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OwnMessageIds ownIds;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void clean() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident cascade");
    }

    static Stream<String> scenarios() throws IOException, URISyntaxException {
        Path root = Path.of(
                ThreadingScenariosIntegrationTest.class.getResource("/threads").toURI());
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario(String name) throws Exception {
        Scenario s = Scenario.load(name, ownIds);
        jdbc.execute("alter sequence incident_code_seq restart with "
                + s.spec.path("codeStart").asLong(1000));

        int stepNumber = 0;
        for (JsonNode step : s.spec.get("steps")) {
            stepNumber++;
            if (step.isArray()) {
                for (JsonNode file : step) {
                    String f = file.asString();
                    standIns.mail().append(f.contains("sent") ? MailServer.SENT : "INBOX", s.bytes(f));
                }
                MailIntake.Report report = intake.pollOnce();
                assertThat(report.failedFolders())
                        .as("%s step %d: failed folders", name, stepNumber)
                        .isEmpty();
                assertThat(report.quarantined())
                        .as("%s step %d: quarantined", name, stepNumber)
                        .isZero();
                threading.threadPending();
            } else {
                act(s, step);
            }
            JsonNode after = s.spec.path("afterStep").path(String.valueOf(stepNumber));
            if (!after.isMissingNode()) {
                int n = stepNumber;
                check(s, softly -> checkMails(softly, s, after, name + " after step " + n));
            }
        }

        check(s, softly -> verify(softly, s));
    }

    /** Runs the checks; a scenario marked {@code knownBug} must still fail them (and says so when it stops). */
    private static void check(Scenario s, java.util.function.Consumer<SoftAssertions> checks) {
        String knownBug = text(s.spec.path("knownBug"));
        try {
            SoftAssertions.assertSoftly(checks);
        } catch (AssertionError e) {
            if (knownBug != null) {
                Assumptions.abort("Known bug, expectation kept: " + knownBug + "\n" + e.getMessage());
            }
            throw e;
        }
    }

    private void act(Scenario s, JsonNode step) {
        step.path("close").properties().forEach(e -> {
            long incident = s.incidentNow(jdbc, e.getKey());
            jdbc.update(
                    "update incident set finished_at = ?, new_message = false where id = ?",
                    Timestamp.from(Instant.parse(e.getValue().asString())),
                    incident);
        });
        step.path("trackerKey").properties().forEach(e -> {
            long incident = s.incidentNow(jdbc, e.getKey());
            jdbc.update(
                    "update incident set tracker_key = ? where id = ?",
                    e.getValue().asString(),
                    incident);
        });
    }

    private void verify(SoftAssertions softly, Scenario s) {
        String name = s.name;
        Map<String, Long> letters = checkMails(softly, s, s.spec.get("mails"), name);

        softly.assertThat(jdbc.queryForObject("select count(*) from incident", Long.class))
                .as("%s: incidents", name)
                .isEqualTo(s.spec.get("incidents").asLong());
        softly.assertThat(new LinkedHashSet<>(letters.values()))
                .as("%s: each letter is its own incident %s", name, letters)
                .hasSize(letters.size());
        long expectedRows = s.spec.has("storedMails")
                ? s.spec.get("storedMails").asLong()
                : s.messageIds.values().stream().distinct().count();
        softly.assertThat(jdbc.queryForObject("select count(*) from email_message", Long.class))
                .as("%s: stored mails", name)
                .isEqualTo(expectedRows);
        softly.assertThat(jdbc.queryForList(
                        "select message_id || ' ' || coalesce(match_method, 'unthreaded') from email_message"
                                + " where match_method is null or match_method = 'FAILED'",
                        String.class))
                .as("%s: mails left unthreaded or failed", name)
                .isEmpty();
        softly.assertThat(jdbc.queryForList("""
                        select i.code || ': ' || count(h.id) from incident i
                        left join incident_status_history h on h.incident_id = i.id
                             and h.status_id = (select id from incident_status where name = 'Новый')
                        group by i.code having count(h.id) <> 1
                        """, String.class))
                .as("%s: status 'Новый' exactly once per incident", name)
                .isEmpty();

        s.spec.path("incidentDetails").properties().forEach(e -> {
            String letter = e.getKey();
            Long id = letters.get(letter);
            if (id == null) {
                softly.fail("%s: incident %s has no mail", name, letter);
                return;
            }
            JsonNode want = e.getValue();
            Map<String, Object> row = jdbc.queryForMap(
                    "select new_message, continues_incident_id, incident_at, summary from incident where id = ?", id);
            String what = name + ": incident " + letter;
            if (want.has("newMessage")) {
                softly.assertThat(row.get("new_message"))
                        .as("%s new_message", what)
                        .isEqualTo(want.get("newMessage").asBoolean());
            }
            if (want.has("continues")) {
                softly.assertThat(row.get("continues_incident_id"))
                        .as("%s continues", what)
                        .isEqualTo(letters.get(want.get("continues").asString()));
            }
            if (want.has("incidentAt")) {
                softly.assertThat(((Timestamp) row.get("incident_at")).toInstant())
                        .as("%s incident_at (SLA start)", what)
                        .isEqualTo(Instant.parse(want.get("incidentAt").asString()));
            }
            if (want.has("summary")) {
                softly.assertThat(row.get("summary"))
                        .as("%s summary", what)
                        .isEqualTo(want.get("summary").asString());
            }
            if (want.has("events")) {
                Map<String, Long> events = new TreeMap<>();
                jdbc.query(
                        "select kind, count(*) from incident_event where incident_id = ? group by kind",
                        rs -> {
                            events.put(rs.getString(1), rs.getLong(2));
                        },
                        id);
                Map<String, Long> expected = new TreeMap<>();
                want.get("events")
                        .properties()
                        .forEach(k -> expected.put(k.getKey(), k.getValue().asLong()));
                softly.assertThat(events).as("%s events", what).isEqualTo(expected);
            }
        });
    }

    /** Checks each listed mail's incident letter, method and details; returns letter to incident id. */
    private Map<String, Long> checkMails(SoftAssertions softly, Scenario s, JsonNode mails, String where) {
        Map<String, Long> letters = new LinkedHashMap<>();
        mails.properties().forEach(e -> {
            String file = e.getKey();
            JsonNode want = e.getValue();
            String what = where + ": " + file;
            List<Map<String, Object>> rows = jdbc.queryForList("""
                            select incident_id, match_method, match_detail, direction, auto_kind
                            from email_message where message_id = ?
                            """, s.messageIds.get(file));
            if (rows.size() != 1) {
                softly.fail("%s is not stored (Message-ID %s)", what, s.messageIds.get(file));
                return;
            }
            Map<String, Object> row = rows.get(0);
            Long incident = row.get("incident_id") == null ? null : ((Number) row.get("incident_id")).longValue();
            String letter = text(want.path("incident"));
            if (letter == null) {
                softly.assertThat(incident).as("%s is unlinked", what).isNull();
            } else if (incident == null) {
                softly.fail("%s should be in incident %s but is unlinked (%s)", what, letter, row.get("match_method"));
            } else if (letters.containsKey(letter)) {
                softly.assertThat(incident)
                        .as("%s in incident %s (ids %s)", what, letter, letters)
                        .isEqualTo(letters.get(letter));
            } else {
                letters.put(letter, incident);
            }
            if (want.has("method")) {
                softly.assertThat(row.get("match_method"))
                        .as("%s method", what)
                        .isEqualTo(want.get("method").asString());
            }
            if (want.has("detail")) {
                softly.assertThat(row.get("match_detail"))
                        .as("%s match detail", what)
                        .isEqualTo(want.get("detail").asString());
            }
            if (want.has("direction")) {
                softly.assertThat(row.get("direction"))
                        .as("%s direction", what)
                        .isEqualTo(want.get("direction").asString());
            }
            if (want.has("autoKind")) {
                softly.assertThat(row.get("auto_kind"))
                        .as("%s auto kind", what)
                        .isEqualTo(want.get("autoKind").asString());
            }
        });
        return letters;
    }

    private static String text(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull() ? null : node.asString();
    }

    /** One scenario folder: its expectations and its files with placeholders filled in. */
    private static final class Scenario {

        final String name;
        final JsonNode spec;
        final Map<String, byte[]> files = new HashMap<>();
        final Map<String, String> messageIds = new LinkedHashMap<>();

        private Scenario(String name, JsonNode spec) {
            this.name = name;
            this.spec = spec;
        }

        static Scenario load(String name, OwnMessageIds ownIds) throws IOException, URISyntaxException {
            Path dir = Path.of(
                    Objects.requireNonNull(ThreadingScenariosIntegrationTest.class.getResource("/threads/" + name))
                            .toURI());
            Scenario s = new Scenario(name, JSON.readTree(Files.readString(dir.resolve("expected.json"))));
            Map<String, String> ownTokens = new HashMap<>();
            List<String> names;
            try (Stream<Path> list = Files.list(dir)) {
                names = list.map(p -> p.getFileName().toString())
                        .filter(f -> f.endsWith(".eml"))
                        .sorted()
                        .toList();
            }
            for (String file : names) {
                // ISO-8859-1 maps bytes 1:1, so 8-bit UTF-8 text survives the token replacement unchanged.
                String text = Files.readString(dir.resolve(file), StandardCharsets.ISO_8859_1);
                Matcher m = OWN_ID.matcher(text);
                StringBuilder filled = new StringBuilder();
                while (m.find()) {
                    String id = ownTokens.computeIfAbsent(m.group(), t -> ownIds.generate(m.group(1)));
                    m.appendReplacement(filled, Matcher.quoteReplacement(id));
                }
                m.appendTail(filled);
                text = filled.toString();
                Matcher id = MESSAGE_ID.matcher(text);
                if (!id.find()) {
                    throw new IllegalStateException(name + "/" + file + " has no Message-ID");
                }
                s.messageIds.put(file, id.group(1).strip());
                s.files.put(file, text.getBytes(StandardCharsets.ISO_8859_1));
            }
            Set<String> listed = new LinkedHashSet<>();
            s.spec.get("steps")
                    .forEach(step -> step.forEach(f -> {
                        if (f.isString()) listed.add(f.asString());
                    }));
            assertThat(listed).as("%s: files in steps", name).containsExactlyInAnyOrderElementsOf(names);
            List<String> expected = new ArrayList<>();
            s.spec.get("mails").properties().forEach(e -> expected.add(e.getKey()));
            assertThat(expected).as("%s: files in mails", name).containsExactlyInAnyOrderElementsOf(names);
            return s;
        }

        byte[] bytes(String file) {
            byte[] b = files.get(file);
            if (b == null) {
                fail("%s: no file %s", name, file);
            }
            return b;
        }

        /** The incident a letter names right now: that of the first listed mail of the letter already linked. */
        long incidentNow(JdbcTemplate jdbc, String letter) {
            List<String> candidates = new ArrayList<>();
            spec.get("mails").properties().forEach(e -> {
                if (letter.equals(text(e.getValue().path("incident")))) {
                    candidates.add(messageIds.get(e.getKey()));
                }
            });
            for (String id : candidates) {
                Optional<Long> incident = jdbc
                        .queryForList(
                                "select incident_id from email_message where message_id = ? and incident_id is not null",
                                Long.class,
                                id)
                        .stream()
                        .findFirst();
                if (incident.isPresent()) {
                    return incident.get();
                }
            }
            throw new IllegalStateException(name + ": incident " + letter + " does not exist yet");
        }
    }
}
