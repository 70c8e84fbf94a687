package dispatch.mail;

import dispatch.incident.Threading;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.towerstore.TowerStoreImport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
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
        // The whole account (Spring Boot takes a list from one source): Dovecot instead of GreenMail.
        String account = "dispatch.mail.accounts[0].";
        registry.add(account + "name", () -> "dispatch");
        registry.add(account + "host", () -> "127.0.0.1");
        registry.add(account + "port", () -> System.getProperty("dovecot.port"));
        registry.add(account + "security", () -> "NONE");
        registry.add(account + "username", () -> USER);
        registry.add(account + "password", () -> PASSWORD);
        registry.add(account + "sent-folder", () -> "Sent");
        registry.add(account + "idle", () -> "false");
    }

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyHostileMailEndsStoredOrQuarantinedAndANormalMailAfterThemBecomesAnIssue() throws Exception {
        towerStoreImport.importAll();
        var suite = new HostileSuite(intake, threading, outbox, standIns.tracker(), jdbc);

        var figures = suite.run(
                new HostileSuite.Server("127.0.0.1", Integer.getInteger("dovecot.port"), USER, PASSWORD), true);

        String line = "Hostile suite on Dovecot: " + figures;
        System.out.println(line);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "hostile-dovecot.txt"), line + "\n");
    }
}
