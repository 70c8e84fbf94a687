package dispatch.mail;

import dispatch.standin.DispatchIntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * The hostile-mail suite against a real IMAP server (Dovecot), including what GreenMail cannot take. Not part of
 * {@code ./mvnw verify} (the name matches no test pattern); {@code scripts/dovecot.sh run-hostile} starts Dovecot and
 * runs it with {@code -Ddovecot.port=...}. Figures go to {@code target/hostile-dovecot.txt}.
 */
@DispatchIntegrationTest
@EnabledIfSystemProperty(named = "dovecot.port", matches = "\\d+")
@TestPropertySource(
        properties = {
            "dispatch.mail.max-attachment-size=1MB",
            "dispatch.mail.limits.max-parts=100",
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms"
        })
class HostileMailDovecotRun {

    static final String USER = System.getProperty("dovecot.user", "dispatch@example.test");
    static final String PASSWORD = System.getProperty("dovecot.password", "dispatch");

    @DynamicPropertySource
    static void dovecot(DynamicPropertyRegistry registry) {
        DovecotAccount.register(registry, Integer.getInteger("dovecot.port"), USER, PASSWORD);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void everyHostileMailEndsStoredOrQuarantinedAndANormalMailAfterThemBecomesAnIssue() throws Exception {
        var figures = new HostileSuite(context)
                .run(new HostileSuite.Server("127.0.0.1", Integer.getInteger("dovecot.port"), USER, PASSWORD), true);

        String line = "Hostile suite on Dovecot: " + figures;
        System.out.println(line);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "hostile-dovecot.txt"), line + "\n");
    }
}
