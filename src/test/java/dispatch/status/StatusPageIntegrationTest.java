package dispatch.status;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/** The status page over real HTTP: who gets in, how, and that its buttons do what the admin API does. */
@DispatchIntegrationTest
class StatusPageIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    HttpClient browser;

    @BeforeEach
    void seed() throws Exception {
        StatusFixtures.seed(context);
        browser = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Test
    void aBrowserWithoutASessionIsSentToTheLoginFormAndAnythingElseGetsA401() throws Exception {
        var html = send(get("/admin/status").header("Accept", "text/html,application/xhtml+xml"));
        var bare = send(get("/admin/status"));
        var wrong = send(get("/admin/status").header("Authorization", "Bearer not-a-token"));
        var reader = send(get("/admin/status").header("Authorization", "Bearer " + StandIns.API_TOKEN));

        assertThat(html.statusCode()).isEqualTo(302);
        assertThat(html.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/admin/login"));
        assertThat(bare.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain("Dispatch status");
        assertThat(reader.statusCode()).as("a read token is no admin").isEqualTo(403);
    }

    @Test
    void anAdminTokenInTheHeaderShowsEverySectionWithoutOpeningASession() throws Exception {
        var page = send(get("/admin/status").header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN));

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Set-Cookie")).isEmpty();
        Document doc = Jsoup.parse(page.body());
        for (String section : new String[] {
            "health", "last-good", "sync", "failed-deliveries", "quarantine", "parked", "alerts", "version", "uptime"
        }) {
            assertThat(doc.getElementById(section)).as(section).isNotNull();
        }
        assertThat(doc.select("#health td").eachText()).contains("intake", "outbox", "threading", "tracker");
        assertThat(doc.select("#failed-deliveries tr[id^=delivery-]")).hasSize(2);
        assertThat(doc.select("#quarantine tr[id^=quarantined-]")).hasSize(1);
        assertThat(doc.select("#parked tr[id^=parked-]")).hasSize(1);
        assertThat(doc.select("#alerts tr")).isNotEmpty();
        assertThat(doc.select("meta[name=viewport]")).hasSize(1);
        assertThat(doc.select("#last-good").text())
                .contains("TowerStore import poles", "delivery alert.telegram")
                .doesNotContain("Tracker pull (changes reconciled up to) never");
        assertThat(doc.select("#sync").text()).doesNotContain("no pull yet");
    }

    @Test
    void hostileMailAndErrorTextsAreShownAsTextNeverAsMarkup() throws Exception {
        Document doc = login();

        assertThat(doc.select("script")).isEmpty();
        assertThat(doc.select("img")).isEmpty();
        assertThat(doc.select("#failed-deliveries b")).isEmpty();
        assertThat(doc.select("#parked").text()).contains(StatusFixtures.HOSTILE_SUBJECT);
        assertThat(doc.select("#quarantine").text()).contains("<script>alert('quarantine')</script>");
        assertThat(doc.select("#failed-deliveries").text()).contains("<b>Tracker answered 500</b>");
    }

    @Test
    void theLoginFormOpensAStrictHttpOnlySessionOnlyForAnAdminToken() throws Exception {
        Document form = Jsoup.parse(send(get("/admin/login")).body());
        var readToken = post("/admin/login", Map.of("token", StandIns.API_TOKEN, "_csrf", csrf(form, "#login")));
        var noCsrf = post("/admin/login", Map.of("token", StandIns.ADMIN_TOKEN));
        form = Jsoup.parse(send(get("/admin/login")).body());
        var admin = post("/admin/login", Map.of("token", StandIns.ADMIN_TOKEN, "_csrf", csrf(form, "#login")));

        assertThat(readToken.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/admin/login?error"));
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(admin.statusCode()).isEqualTo(302);
        assertThat(admin.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/admin/status"));
        assertThat(admin.headers().firstValue("Set-Cookie"))
                .hasValueSatisfying(c -> assertThat(c).contains("HttpOnly").contains("SameSite=Strict"));
        var page = send(get("/admin/status"));
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Dispatch status");

        Document logout = Jsoup.parse(page.body());
        post("/admin/logout", Map.of("_csrf", csrf(logout, "form[action$=/admin/logout]")));
        assertThat(send(get("/admin/status")).statusCode()).as("after logout").isEqualTo(401);
    }

    @Test
    void aButtonWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        login();
        long id = StatusFixtures.quarantinedId(jdbc);

        var forged = post("/admin/status/quarantine/" + id + "/replay", Map.of());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(StatusFixtures.quarantinedMailStored(jdbc)).isFalse();
    }

    @Test
    void theReplayButtonStoresTheQuarantinedMail() throws Exception {
        Document page = login();

        Document after = press(page, "#quarantine form.replay", Map.of());

        assertThat(StatusFixtures.quarantinedMailStored(jdbc)).isTrue();
        assertThat(after.select("#outcome").text()).contains("stored");
        assertThat(after.select("#quarantine tr[id^=quarantined-]")).isEmpty();
    }

    @Test
    void theParkedMailReplayButtonThreadsIt() throws Exception {
        Document after = press(login(), "#parked form.replay", Map.of());

        assertThat(after.select("#outcome").text()).contains("threaded: NEW_INCIDENT");
        assertThat(jdbc.queryForObject(
                        "select match_method from email_message where message_id = 'poison@op.example'", String.class))
                .isEqualTo("NEW_INCIDENT");
    }

    @Test
    void retryAndSkipButtonsActOnTheFailedDeliveriesAndRecordWhoSkipped() throws Exception {
        Document page = login();
        Element first = page.select("#failed-deliveries tr[id^=delivery-]").get(0);
        Element second = page.select("#failed-deliveries tr[id^=delivery-]").get(1);

        Document afterRetry = press(page, "#" + first.id() + " form.retry", Map.of());
        Document noReason = press(afterRetry, "#" + second.id() + " form.skip", Map.of("reason", " "));
        Document afterSkip = press(noReason, "#" + second.id() + " form.skip", Map.of("reason", "mailbox is gone"));

        assertThat(status(first)).isEqualTo("PENDING");
        assertThat(noReason.select("#outcome").text()).contains("refused: reason");
        assertThat(status(second)).isEqualTo("SKIPPED");
        assertThat(jdbc.queryForMap("select skipped_by, skip_reason from outbox where id = ?", id(second)))
                .containsEntry("skipped_by", "dev-admin")
                .containsEntry("skip_reason", "mailbox is gone");
        assertThat(afterSkip.select("#failed-deliveries tr[id^=delivery-]")).isEmpty();
    }

    // --- a small browser over HTTP ---

    private Document login() throws Exception {
        Document form = Jsoup.parse(send(get("/admin/login")).body());
        var answer = post("/admin/login", Map.of("token", StandIns.ADMIN_TOKEN, "_csrf", csrf(form, "#login")));
        assertThat(answer.statusCode()).isEqualTo(302);
        var page = send(get("/admin/status"));
        assertThat(page.statusCode()).isEqualTo(200);
        return Jsoup.parse(page.body());
    }

    /** Submits the page's form (with its hidden fields, the CSRF token among them) and follows the redirect. */
    private Document press(Document page, String form, Map<String, String> typed) throws Exception {
        Element element = page.selectFirst(form);
        assertThat(element).as(form).isNotNull();
        Map<String, String> fields = new LinkedHashMap<>();
        element.select("input[type=hidden]").forEach(i -> fields.put(i.attr("name"), i.attr("value")));
        fields.putAll(typed);
        var answer = post(element.attr("action"), fields);
        assertThat(answer.statusCode()).as(form).isEqualTo(302);
        return Jsoup.parse(send(get("/admin/status")).body());
    }

    private static String csrf(Document page, String form) {
        return page.selectFirst(form + " input[name=_csrf]").attr("value");
    }

    private String status(Element row) {
        return jdbc.queryForObject("select status from outbox where id = ?", String.class, id(row));
    }

    private static long id(Element row) {
        return Long.parseLong(row.id().substring("delivery-".length()));
    }

    private HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60));
    }

    private HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
        String form = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(get(path)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
