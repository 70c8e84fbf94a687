package dispatch.legacy;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code java -jar dispatch.jar legacy-import --source-url=jdbc:postgresql://… --source-username=…
 * --source-password=… [--media-dir=DIR] [--dry-run] [--chunk=N]}: the import as a command. Starts only the target
 * database (the usual {@code SPRING_DATASOURCE_*}) and its migrations: no web server, no jobs, no mailbox, no Tracker.
 * Deliberately not a {@code @Configuration}: the application's component scan must not pick it up.
 */
@ImportAutoConfiguration({
    DataSourceAutoConfiguration.class,
    DataSourceTransactionManagerAutoConfiguration.class,
    TransactionAutoConfiguration.class,
    FlywayAutoConfiguration.class
})
public class LegacyImportCommand {

    public static final String NAME = "legacy-import";

    private static final int DEFAULT_CHUNK = 1000;

    /** Runs the command; returns the exit code (0 success, 1 failure, 2 usage). */
    public static int run(String[] args, PrintStream out) {
        DefaultApplicationArguments arguments = new DefaultApplicationArguments(args);
        String url = option(arguments, "source-url");
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            out.println("usage: legacy-import --source-url=jdbc:postgresql://HOST/DB --source-username=U"
                    + " --source-password=P [--media-dir=DIR] [--dry-run] [--chunk=N]");
            return 2;
        }
        String mediaDir = option(arguments, "media-dir");
        Path media = mediaDir == null ? null : Path.of(mediaDir);
        if (media != null && !Files.isDirectory(media)) {
            out.println("legacy-import: --media-dir " + media + " is not a directory");
            return 2;
        }
        DriverManagerDataSource sourceDb = new DriverManagerDataSource(
                url, option(arguments, "source-username"), option(arguments, "source-password"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LegacyImportCommand.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                .run(args)) {
            Binder settings = Binder.get(context.getEnvironment());
            LegacyImport.Options options = new LegacyImport.Options(
                    media,
                    settings.bind("dispatch.data-directory", Path.class).orElse(Path.of("data")),
                    settings.bind("dispatch.incident.code-prefix", String.class).orElse("INC"),
                    Integer.parseInt(
                            option(arguments, "chunk") == null ? "" + DEFAULT_CHUNK : option(arguments, "chunk")),
                    arguments.containsOption("dry-run"),
                    step -> {});
            long started = System.nanoTime();
            ImportReport report = new LegacyImport(
                            new JdbcTemplate(sourceDb),
                            new JdbcTemplate(context.getBean(DataSource.class)),
                            context.getBean(PlatformTransactionManager.class))
                    .run(options);
            report.print(out, options.dryRun());
            out.printf("Done in %.1f s.%n", (System.nanoTime() - started) / 1e9);
            return 0;
        } catch (RuntimeException e) {
            out.println("legacy-import failed: " + e);
            out.println("What was committed stays; running the command again resumes where it stopped.");
            return 1;
        }
    }

    private static String option(DefaultApplicationArguments arguments, String name) {
        List<String> values = arguments.getOptionValues(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
