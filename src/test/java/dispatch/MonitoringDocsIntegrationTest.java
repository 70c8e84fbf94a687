package dispatch;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Grafana dashboard and the Prometheus rules in {@code docs/} read metrics the service really exports: an alert
 * rule a metric that exists from start-up (so the first problem fires it), a dashboard panel a metric that exists
 * once mail flows. A renamed meter fails here, not on the night the alert should have fired.
 */
@DispatchIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestPropertySource(
        properties = {
            "dispatch.incident.flood.per-address=1",
            "dispatch.tracker.retry.initial-backoff=10ms",
            "dispatch.tracker.retry.max-backoff=50ms",
            "dispatch.outbox.initial-backoff=10ms"
        })
class MonitoringDocsIntegrationTest {

    private static final Path DASHBOARD = Path.of("docs/grafana/dispatch.json");
    private static final Path RULES = Path.of("docs/prometheus/alerts.yml");

    /** Words of PromQL that look like metric names; function names are recognised by the parenthesis after them. */
    private static final Set<String> KEYWORDS = Set.of(
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset");

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @Test
    @Order(1)
    @SuppressWarnings("unchecked")
    void everyAlertRuleIsCompleteAndReadsAMetricExportedFromStartUp() throws Exception {
        String scrape = scrape();
        List<Map<String, Object>> rules = rules();

        assertThat(rules).hasSizeGreaterThanOrEqualTo(10);
        for (Map<String, Object> rule : rules) {
            assertThat(rule).as("rule %s", rule).containsKeys("alert", "expr", "labels", "annotations");
            assertThat((Map<String, Object>) rule.get("labels")).containsKey("severity");
            assertThat((Map<String, Object>) rule.get("annotations")).containsKey("summary");
            for (String metric : metrics((String) rule.get("expr"))) {
                if (metric.equals("up")) continue; // written by Prometheus itself
                assertThat(exported(scrape))
                        .as("alert %s reads %s", rule.get("alert"), metric)
                        .contains(metric);
            }
        }
        assertThat(scrape)
                .as("disk space is measured where raw mail lives")
                .containsPattern("disk_free_bytes\\{path=\"[^\"]*data[^\"]*\"}");
    }

    @Test
    @Order(2)
    void everyDashboardPanelReadsAMetricExportedOnceMailFlows() throws Exception {
        JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARD));
        assertThat(dashboard.get("uid").asString()).isEqualTo("dispatch");
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(e -> expressions.add(e.asString()));
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(20);

        letMailFlow();
        String scrape = scrape();

        Set<String> missing = new TreeSet<>();
        for (String expression : expressions) {
            for (String metric : metrics(expression)) {
                if (!exported(scrape).contains(metric)) missing.add(metric + " in " + expression);
            }
        }
        assertThat(missing)
                .as("panels reading metrics the service does not export")
                .isEmpty();
    }

    @Test
    void metricNamesAreFoundInExpressions() {
        assertThat(metrics("sum by (stage, folder) (rate(dispatch_x_total{a=\"b\", c=~\"d.*\"}[5m])) * 60"))
                .containsExactly("dispatch_x_total");
        assertThat(metrics("time() - max by (report) (y_seconds > 0) > 172800 and on (instance) up == 0"))
                .containsExactly("y_seconds", "up");
    }

    /** A friendly mail to a Tracker issue (one failed call retried), a quarantined one, one held by flood limits. */
    private void letMailFlow() throws Exception {
        var tracker = standIns.tracker();
        tracker.reset();
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        tracker.faults().next("POST /issues/", Fault.respond5xx(500));
        standIns.mail()
                .append(
                        "INBOX",
                        mail("monitoring-1").from("noc@flood.example.test").bytes());
        standIns.mail()
                .append(
                        "INBOX",
                        mail("monitoring-2")
                                .from("noc@flood.example.test")
                                .subject("Ещё авария")
                                .bytes());
        standIns.mail().append("INBOX", hugeHeaders());
        intake.pollOnce();
        threading.threadPending();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && tracker.issues().isEmpty()) {
            outbox.drain();
            sleep();
        }
        assertThat(tracker.issues()).as("the first mail's issue").hasSize(1);
        assertThat(tracker.faults().fired())
                .as("the failed call that was retried")
                .hasSize(1);
        assertThat(jdbc.queryForObject("select count(*) from mail_quarantine", Long.class))
                .isEqualTo(1);
    }

    private static byte[] hugeHeaders() {
        return ("Message-ID: <monitoring-huge@flood.example.test>\r\nFrom: a@flood.example.test\r\n"
                        + ("X-Junk: " + "j".repeat(990) + "\r\n").repeat(300)
                        + "Subject: x\r\n\r\nx\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private String scrape() {
        return RestClient.create("http://127.0.0.1:" + port)
                .get()
                .uri("/actuator/prometheus")
                .retrieve()
                .body(String.class);
    }

    /** Names of the series in a scrape. */
    private static Set<String> exported(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(l -> names.add(l.split("[{ ]", 2)[0]));
        return names;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> rules() throws Exception {
        Map<String, Object> file = new Yaml().load(Files.readString(RULES));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    /** The metric names an expression reads: identifiers that are not labels, keywords, durations or functions. */
    static List<String> metrics(String expression) {
        String bare = expression
                .replaceAll("\\{[^}]*}", " ") // label matchers
                .replaceAll("\\[[^]]*]", " ") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        List<String> names = new ArrayList<>();
        Matcher m =
                Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(bare);
        while (m.find()) {
            String word = m.group(1);
            if (m.group(2) == null && !KEYWORDS.contains(word) && !names.contains(word)) names.add(word);
        }
        return names;
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
