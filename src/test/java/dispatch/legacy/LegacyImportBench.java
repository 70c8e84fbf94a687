package dispatch.legacy;

import dispatch.standin.EmbeddedDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * legacy-import at the old service's scale: 100,000 incidents with 500,000 mails (metadata only), through the
 * command into an empty database. Run with {@code ./mvnw -B -o test -Pbench -Dtest=LegacyImportBench
 * -Dsurefire.failIfNoSpecifiedTests=false}; prints the generation time, the import's report and its wall time, and
 * the time of a second (no-op) run.
 */
class LegacyImportBench {

    static final int INCIDENTS = 100_000;
    static final int MAILS_PER_INCIDENT = 5;

    @Test
    void importsOneHundredThousandIncidentsWithHalfAMillionMails() {
        long started = System.nanoTime();
        OldServiceDatabase old = OldServiceDatabase.create();
        old.fill(
                INCIDENTS,
                MAILS_PER_INCIDENT,
                List.of(),
                List.of("Авария ВОЛС"),
                List.of("Новый", "В работе", "Закрыт"));
        System.out.printf(
                "Old database generated in %.1f s: %,d incidents, %,d mails%n",
                seconds(started), old.count("incidents_incident"), old.count("emails_emailmessage"));
        String target = EmbeddedDatabase.newDatabase();
        String[] args = {
            "--source-url=" + old.url,
            "--source-username=" + EmbeddedDatabase.USER,
            "--source-password=",
            "--spring.datasource.url=" + target,
            "--spring.datasource.username=" + EmbeddedDatabase.USER,
            "--spring.datasource.password="
        };
        for (String run : List.of("first run", "second run")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long t = System.nanoTime();
            int exit = LegacyImportCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8));
            System.out.printf(
                    "legacy-import %s: exit %d in %.1f s%n%s%n",
                    run, exit, seconds(t), out.toString(StandardCharsets.UTF_8));
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
