package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.DispatchApplication;
import dispatch.incident.IncidentProperties;
import dispatch.mail.MailProperties;
import dispatch.standin.EmbeddedDatabase;
import dispatch.towerstore.TowerStoreProperties;
import dispatch.tracker.TrackerProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The documented production settings (.env.example) are accepted as they are written, once the blanks are filled. */
class EnvExampleIntegrationTest {

    @Test
    void everyValueInEnvExampleBindsAndTheServiceStarts() throws Exception {
        Map<String, Object> env = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(".env.example"))) {
            if (line.isBlank() || line.startsWith("#") || !line.contains("=")) continue;
            String key = line.substring(0, line.indexOf('='));
            String value = line.substring(line.indexOf('=') + 1);
            env.put(key, value);
        }
        // The blanks an operator must fill in, and what points the service at this test's database.
        env.put("DISPATCH_TRACKER_ORGID", "123");
        env.put("DISPATCH_TRACKER_ACCESSTOKEN", "token");
        env.put("DISPATCH_TOWERSTORE_POLESURL", "http://127.0.0.1:9/poles.json");
        env.put("DISPATCH_TOWERSTORE_CONTRACTORSURL", "http://127.0.0.1:9/contractors.json");
        env.put("DISPATCH_TOWERSTORE_BASESTATIONSURL", "http://127.0.0.1:9/base_stations.json");
        env.put("DISPATCH_TELEGRAM_BOTTOKEN", "1:x");
        env.put("DISPATCH_TELEGRAM_CHATID", "1");
        // The placeholders (change-me) are refused at start-up (StartupFailureIntegrationTest): real secrets here.
        env.put("DISPATCH_API_TOKENS_REPORTS", "reports-token-0123456789abcdef");
        env.put("DISPATCH_API_ADMINTOKENS_ONCALL", "oncall-token-0123456789abcdef");
        env.put("DISPATCH_SCHEDULINGENABLED", "false");
        env.put(
                "DISPATCH_DATADIRECTORY",
                Files.createTempDirectory("env-example").toString());
        env.put("LOGGING_FILE_NAME", "");
        env.put("SPRING_DATASOURCE_URL", EmbeddedDatabase.newDatabase());
        env.put("SPRING_DATASOURCE_USERNAME", EmbeddedDatabase.USER);
        env.put("SPRING_DATASOURCE_PASSWORD", "");
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new SystemEnvironmentPropertySource("envExample-systemEnvironment", env));

        try (var context = new SpringApplicationBuilder(DispatchApplication.class)
                .web(WebApplicationType.NONE)
                .environment(environment)
                .run()) {
            assertThat(context.getBean(MailProperties.class).accounts()).hasSize(1);
            assertThat(context.getBean(MailProperties.class).maxAttachmentSize().toMegabytes())
                    .isEqualTo(48);
            assertThat(context.getBean(TrackerProperties.class).queue()).isEqualTo("DISPATCH");
            assertThat(context.getBean(TowerStoreProperties.class).cron()).isEqualTo("0 0 20 * * *");
            assertThat(context.getBean(IncidentProperties.class).reopenWindow()).hasHours(72);
        }
    }
}
