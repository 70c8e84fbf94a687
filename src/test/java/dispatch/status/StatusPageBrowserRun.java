package dispatch.status;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The status page in headless Chromium, with data in every section: logs in through the form, checks the sections in
 * the DOM the browser built, that it is one column at phone width and two on a desktop, writes screenshots of both,
 * then presses a quarantined mail's "Replay" button and checks the mail was stored. Not part of {@code ./mvnw verify}
 * (the name matches no test pattern): {@code scripts/status-page-test.sh} installs Chromium and runs it with
 * {@code -Dchromium=<path>}.
 */
@DispatchIntegrationTest
@EnabledIfSystemProperty(named = "chromium", matches = ".+")
class StatusPageBrowserRun {

    static final int PHONE = 390;
    static final int DESKTOP = 1280;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @Test
    void anAdminLogsInSeesEverySectionOnAPhoneAndReplaysAQuarantinedMailFromThePage() throws Exception {
        StatusFixtures.seed(context);
        Path docs = Path.of(System.getProperty("status.screenshots", "docs"));
        String base = "http://127.0.0.1:" + port;
        try (DevTools chromium = DevTools.start(System.getProperty("chromium"))) {
            chromium.navigate(base + "/admin/status");
            chromium.waitForPage("/admin/login");
            chromium.eval("document.getElementById('token').value = '" + StandIns.ADMIN_TOKEN + "'; true");
            chromium.press("#login button");
            chromium.waitForPage("/admin/status");

            Document dom = Jsoup.parse(
                    chromium.eval("document.documentElement.outerHTML").asString());
            for (String section : new String[] {
                "health",
                "last-good",
                "sync",
                "failed-deliveries",
                "quarantine",
                "parked",
                "alerts",
                "version",
                "uptime"
            }) {
                assertThat(dom.getElementById(section)).as(section).isNotNull();
            }
            assertThat(dom.select("#quarantine form.replay")).hasSize(1);
            assertThat(dom.select("#parked form.replay")).hasSize(1);
            assertThat(dom.select("#failed-deliveries form.retry")).hasSize(2);
            assertThat(dom.select("#alerts tr")).isNotEmpty();
            assertThat(dom.select("script")).as("hostile subjects stay text").isEmpty();

            Files.write(docs.resolve("status-page.png"), chromium.screenshot(PHONE, true));
            assertThat(columns(chromium)).as("columns at %d px", PHONE).isEqualTo(1);
            assertThat(chromium.eval("document.documentElement.scrollWidth <= " + PHONE)
                            .asBoolean())
                    .as("nothing wider than a phone")
                    .isTrue();
            Files.write(docs.resolve("status-page-desktop.png"), chromium.screenshot(DESKTOP, false));
            assertThat(columns(chromium)).as("columns at %d px", DESKTOP).isEqualTo(2);

            chromium.press("#quarantine form.replay button");
            chromium.waitForPage("/admin/status");
            String outcome = chromium.eval("(document.getElementById('outcome') || {textContent: ''}).textContent")
                    .asString();
            assertThat(outcome).contains("stored");
        }
        assertThat(StatusFixtures.quarantinedMailStored(jdbc)).isTrue();
    }

    /** How many sections sit side by side in the first row of the grid. */
    private static int columns(DevTools chromium) throws Exception {
        return chromium.eval("""
                        (() => { const tops = [...document.querySelectorAll('main > section')]
                            .map(s => s.getBoundingClientRect().top);
                          return tops.filter(t => t === tops[1]).length; })()""").asInt();
    }
}
