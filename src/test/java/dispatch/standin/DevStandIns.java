package dispatch.standin;

import dispatch.standin.mail.MailServer;
import dispatch.standin.tracker.FakeTracker;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/** The stand-ins of the dev run, on the fixed addresses documented in the README. */
public final class DevStandIns {

    static final Path DATA = Path.of("data", "dev");
    static final Path TRACKER_STATE = DATA.resolve("tracker.ser");
    static final Path SAMPLE_MAIL = Path.of("data", "samples", "mail");
    static final int POSTGRES_PORT = 15432;
    private static final Logger log = LoggerFactory.getLogger(DevStandIns.class);

    private final StandIns standIns;

    private DevStandIns(StandIns standIns) {
        this.standIns = standIns;
    }

    public static DevStandIns start(boolean fresh) {
        if (fresh) {
            deleteRecursively(DATA);
        }
        EmbeddedPostgres postgres = EmbeddedDatabase.persistent(DATA.resolve("postgres"), POSTGRES_PORT);
        ensureDatabase(postgres, "dispatch");
        StandIns standIns =
                StandIns.start(postgres.getJdbcUrl(EmbeddedDatabase.USER, "dispatch"), StandIns.Ports.dev());
        appendSampleMail(standIns.mail());
        loadTracker(standIns.tracker());
        // Shutdown handlers run after the application context has closed, so the app never loses its database
        // while it is still shutting down.
        SpringApplication.getShutdownHandlers().add(() -> {
            saveTracker(standIns.tracker());
            standIns.close();
            try {
                postgres.close();
            } catch (IOException e) {
                // the JVM is going down anyway; PostgreSQL recovers its data directory on the next start
            }
        });
        return new DevStandIns(standIns);
    }

    public void applyAsSystemProperties() {
        standIns.applicationProperties().forEach((k, v) -> System.setProperty(k, String.valueOf(v)));
        System.setProperty("server.address", "127.0.0.1");
    }

    /** The mailbox lives in memory: it gets the sample mail on every start; intake deduplicates by Message-ID. */
    private static void appendSampleMail(MailServer mail) {
        if (!Files.isDirectory(SAMPLE_MAIL)) {
            return;
        }
        try (Stream<Path> files = Files.list(SAMPLE_MAIL)) {
            List<Path> samples =
                    files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
            for (Path sample : samples) {
                mail.append("INBOX", Files.readAllBytes(sample));
            }
            log.info("Appended {} sample mails from {} to the dev mailbox", samples.size(), SAMPLE_MAIL);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The fake Tracker lives in memory but mirrors the kept database, so its issues are kept too: without them every
     * incident of an earlier run would point at an issue that no longer exists. A run killed with SIGKILL loses the
     * fake's changes since it started; {@code DISPATCH_DEV_FRESH=true} starts both afresh.
     */
    private static void loadTracker(FakeTracker tracker) {
        if (!Files.exists(TRACKER_STATE)) {
            return;
        }
        try {
            tracker.load(TRACKER_STATE);
            log.info("Fake Tracker issues restored from {}", TRACKER_STATE);
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            log.warn(
                    "Fake Tracker state in {} not readable ({}); starting with no issues", TRACKER_STATE, e.toString());
        }
    }

    private static void saveTracker(FakeTracker tracker) {
        try {
            tracker.save(TRACKER_STATE);
        } catch (IOException | RuntimeException e) {
            log.warn("Fake Tracker state not saved to {}", TRACKER_STATE, e);
        }
    }

    private static void ensureDatabase(EmbeddedPostgres postgres, String name) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            var rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'");
            if (!rs.next()) {
                s.execute("create database " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot prepare the dev database", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    /** Prints where everything is once the service is up. */
    @Configuration(proxyBeanMethods = false)
    public static class Banner {

        @Bean
        BannerPrinter devBannerPrinter(Environment environment) {
            return new BannerPrinter(environment);
        }
    }

    static final class BannerPrinter {
        private final Environment environment;

        BannerPrinter(Environment environment) {
            this.environment = environment;
        }

        @EventListener(ApplicationReadyEvent.class)
        void print() {
            String port = environment.getProperty("local.server.port", "8080");
            System.out.println("""

                    ==================================================================================
                     Dispatch dev run (embedded stand-ins)                 Ctrl-C stops everything
                    ----------------------------------------------------------------------------------
                     App            http://127.0.0.1:%s        health: /actuator/health
                     Reports API    http://127.0.0.1:%s/api/v1/incidents   Authorization: Bearer %s
                     Admin API      http://127.0.0.1:%s/api/v1/admin/...   Authorization: Bearer %s
                     Swagger UI     http://127.0.0.1:%s/swagger-ui.html
                     PostgreSQL     127.0.0.1:%d  db dispatch  user postgres  (data in %s)
                     IMAP           127.0.0.1:3143   user %s  password %s
                     SMTP           127.0.0.1:3025   (folders INBOX, %s)
                     Tracker (fake) http://127.0.0.1:8081  queue DISPATCH  org dev-org  any OAuth token
                     TowerStore     http://127.0.0.1:8082  serving data/samples/towerstore/*.json
                     Telegram (fake)http://127.0.0.1:8083
                    ==================================================================================
                    """.formatted(
                            port,
                            port,
                            StandIns.API_TOKEN,
                            port,
                            StandIns.ADMIN_TOKEN,
                            port,
                            POSTGRES_PORT,
                            DATA.toAbsolutePath(),
                            MailServer.ADDRESS,
                            MailServer.PASSWORD,
                            MailServer.SENT));
        }
    }
}
