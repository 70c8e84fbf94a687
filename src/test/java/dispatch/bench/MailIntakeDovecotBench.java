package dispatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.bench.ImapBaseline.Mode;
import dispatch.bench.ImapBaseline.Result;
import dispatch.mail.DovecotAccount;
import dispatch.mail.MailIntake;
import dispatch.mail.RawImapAppend;
import dispatch.platform.DispatchProperties;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.mail.MailServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Backlog throughput against Dovecot, where the server is not the bottleneck (GreenMail runs in the same JVM): the
 * intake's fetch path ({@code fetchOnce}, then {@code parseWaiting} for the end-to-end rate) against the bare Jakarta Mail read ({@link ImapBaseline}) of the same folder. Run by
 * {@code scripts/dovecot.sh bench} (which passes {@code -Ddovecot.port}); figures in
 * {@code target/bench/MailIntakeDovecotBench.txt}.
 */
@DispatchIntegrationTest
@EnabledIfSystemProperty(named = "dovecot.port", matches = "\\d+")
@TestPropertySource(properties = "dispatch.data-directory=target/bench-data")
class MailIntakeDovecotBench {

    static final int BACKLOG = Integer.getInteger("bench.backlog", 10_000);
    static final int PORT = Integer.getInteger("dovecot.port", 0);

    @DynamicPropertySource
    static void dovecot(DynamicPropertyRegistry registry) {
        DovecotAccount.register(registry, PORT, MailServer.ADDRESS, MailServer.PASSWORD);
    }

    @Autowired
    MailIntake intake;

    @Autowired
    DispatchProperties settings;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void backlogThroughput() throws Exception {
        List<String> lines = new ArrayList<>();
        BenchMail generator = new BenchMail(42);
        List<byte[]> mails = new ArrayList<>();
        long bytes = 0;
        for (int i = 1; i <= BACKLOG; i++) {
            byte[] m = generator.mixed("bench-", i);
            bytes += m.length;
            mails.add(m);
        }
        long start = System.nanoTime();
        RawImapAppend.append("127.0.0.1", PORT, MailServer.ADDRESS, MailServer.PASSWORD, "INBOX", mails);
        lines.add(String.format(
                "Dovecot backlog: %,d mixed messages, %.1f MB, appended in %.1f s",
                BACKLOG, bytes / 1048576.0, (System.nanoTime() - start) / 1e9));
        for (int run = 1; run <= 2; run++) {
            Result baseline = ImapBaseline.read(PORT, Mode.GROUPED, Integer.MAX_VALUE);
            reset();
            // The two stages of decision 0016 timed apart: the fetch path, then parsing until all is stored.
            MailIntakeBench.Timed timed = MailIntakeBench.timed(intake);
            assertThat(timed.fetched().fetched()).isEqualTo(BACKLOG);
            assertThat(timed.parsed().stored()).isEqualTo(BACKLOG);
            lines.add(timed.line(run, baseline.perSecond(), BACKLOG));
        }
        lines.forEach(l -> System.out.println("[bench] " + l));
        Path file = Path.of("target", "bench", "MailIntakeDovecotBench.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }

    private void reset() throws Exception {
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, email_sighting cascade");
        Path data = settings.dataDirectory();
        if (Files.exists(data)) {
            try (Stream<Path> paths = Files.walk(data)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }
}
