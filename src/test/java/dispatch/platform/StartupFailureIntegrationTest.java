package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dispatch.DispatchApplication;
import dispatch.standin.EmbeddedDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What an admin sees when the service cannot start: one line that names what to fix, and no hang. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureIntegrationTest {

    @Test
    void databaseThatIsDownStopsStartupWithinSecondsNamingTheDatabase(CapturedOutput output) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/dispatch";

        assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThatThrownBy(() -> start(url, props -> {})).isNotNull());

        assertThat(output).contains("Cannot connect to the database " + url);
    }

    @Test
    void missingTrackerSettingsStopStartupNamingEachVariable(CapturedOutput output) {
        String url = EmbeddedDatabase.newDatabase();

        assertThatThrownBy(() -> start(url, props -> {
                    props.put("dispatch.tracker.enabled", "true");
                    props.remove("dispatch.tracker.org-id");
                    props.remove("dispatch.tracker.access-token");
                }))
                .isNotNull();

        assertThat(output)
                .contains("DISPATCH_TRACKER_ORGID is required while the tracker feature is on")
                .contains("DISPATCH_TRACKER_ACCESSTOKEN is required while the tracker feature is on")
                .contains("DISPATCH_TRACKER_ENABLED=false")
                .doesNotContain("DISPATCH_TRACKER_QUEUE is required");
    }

    @Test
    void invalidValueStopsStartupNamingTheVariableAndValue(CapturedOutput output) {
        String url = EmbeddedDatabase.newDatabase();

        assertThatThrownBy(() -> start(url, props -> props.put("dispatch.mail.poll-interval", "every minute")))
                .isNotNull();

        assertThat(output).contains("Invalid setting DISPATCH_MAIL_POLLINTERVAL 'every minute'");
    }

    @Test
    void invalidInstallationIdIsRejectedWithTheRule(CapturedOutput output) {
        String url = EmbeddedDatabase.newDatabase();

        assertThatThrownBy(() -> start(url, props -> props.put("dispatch.installation-id", "Прод 1")))
                .isNotNull();

        assertThat(output)
                .contains("Invalid setting DISPATCH_INSTALLATIONID: must be 1-40 lower-case letters, digits or -");
    }

    @Test
    void shortOrPlaceholderTokensStopStartupNamingTheVariableButNotTheValue(CapturedOutput output) {
        String url = EmbeddedDatabase.newDatabase();

        assertThatThrownBy(() -> start(url, props -> {
                    props.put("dispatch.api.tokens.reports", "short-secret-value");
                    props.put("dispatch.api.admin-tokens.oncall", "change-me-too-and-long-enough-now");
                    props.put("dispatch.api.metrics-token", "");
                }))
                .isNotNull();

        assertThat(output)
                .contains("Invalid setting DISPATCH_API_TOKENS_REPORTS: must be a secret of at least 24 characters")
                .contains("Invalid setting DISPATCH_API_ADMINTOKENS_ONCALL: must be a secret")
                .doesNotContain("DISPATCH_API_METRICSTOKEN")
                .doesNotContain("short-secret-value")
                .doesNotContain("change-me-too-and-long-enough-now");
    }

    @Test
    void anAutoReplyTemplateNamingAnUnknownVariableStopsStartupNamingTheFileAndTheVariable(
            CapturedOutput output, @TempDir Path templates) throws IOException {
        Path file =
                Files.writeString(templates.resolve("operator-closed.mustache"), "Заявка {{key}} закрыта {{when}}.");
        String url = EmbeddedDatabase.newDatabase();

        assertThatThrownBy(() -> start(url, props -> props.put("dispatch.autoreply.templates", templates.toString())))
                .isNotNull();

        assertThat(output)
                .contains("Auto-reply template " + file.toAbsolutePath() + " uses unknown variable(s) [when]");
    }

    private static void start(String jdbcUrl, Consumer<Map<String, Object>> adjust) {
        Map<String, Object> props = new java.util.HashMap<>(Map.of(
                "spring.datasource.url", jdbcUrl,
                "spring.datasource.username", EmbeddedDatabase.USER,
                "dispatch.installation-id", "test",
                "dispatch.scheduling-enabled", "false",
                "dispatch.mail.enabled", "false",
                "dispatch.tracker.enabled", "false",
                "dispatch.towerstore.enabled", "false",
                "dispatch.telegram.enabled", "false",
                "dispatch.api.anonymous-read", "true",
                "logging.file.name", ""));
        props.put("dispatch.tracker.queue", "DISPATCH");
        adjust.accept(props);
        new SpringApplicationBuilder(DispatchApplication.class)
                .web(WebApplicationType.NONE)
                .properties(props)
                .run()
                .close();
    }
}
