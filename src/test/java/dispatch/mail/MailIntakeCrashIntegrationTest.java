package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dispatch.standin.EmbeddedDatabase;
import dispatch.standin.mail.MailServer;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.springframework.util.FileSystemUtils;

/**
 * Exactly-once intake across real process deaths: the service runs in child JVMs with its scheduled jobs, is killed
 * with SIGKILL (no shutdown hooks, transactions cut mid-batch) and restarted, or runs twice at once against one
 * database and mailbox. The test JVM owns the embedded PostgreSQL and GreenMail; children's output goes to
 * {@code target/crash-test/}.
 */
class MailIntakeCrashIntegrationTest {

    private static final Path WORK = Path.of("target", "crash-test");
    /** Generous: several builds share two cores, and a child's threading holds its intake back while it catches up. */
    private static final Duration STARTUP_AND_PROGRESS = Duration.ofSeconds(180);

    private static final Duration CATCH_UP = Duration.ofSeconds(300);
    private static final Duration STABLE = Duration.ofSeconds(3);

    private final List<Process> children = new ArrayList<>();
    /** A per-pass summary line of the intake's log: how many messages that pass stored. */
    private static final Pattern STORED = Pattern.compile("Mail \\S+/(?:INBOX|SENT): (\\d+) stored");

    private final Set<String> appendedIds = new HashSet<>();
    private int inbound;
    private int withAttachment;
    private MailServer mail;
    private String jdbcUrl;
    private Connection db;
    private Path dir;

    @BeforeEach
    void startStandIns(TestInfo test) throws Exception {
        mail = MailServer.start(0, 0);
        jdbcUrl = EmbeddedDatabase.newDatabase().replace("//localhost:", "//127.0.0.1:");
        db = DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, "");
        dir = WORK.resolve(test.getTestMethod().orElseThrow().getName());
        // Files left by an earlier run would belong to no row of this run's new database.
        FileSystemUtils.deleteRecursively(dir);
        Files.createDirectories(dir);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process child : children) {
            child.destroyForcibly();
        }
        for (Process child : children) {
            child.waitFor(10, TimeUnit.SECONDS);
        }
        if (db != null) db.close();
        if (mail != null) mail.close();
    }

    @Test
    void killedTwiceMidIntakeStillStoresEveryMessageExactlyOnce() throws Exception {
        long started = System.nanoTime();
        appendInbox(1, 1500);
        appendSent(1, 150, 10); // every 10th reply is also in INBOX (the desk copies itself): 15 shared Message-IDs
        long expected = appendedIds.size();
        System.out.printf("appended %d distinct messages; %.1f s%n", expected, (System.nanoTime() - started) / 1e9);

        // Each run is killed once it has stored a share of the mail, preferably while a read's batch transaction is
        // open and fetched mail waits for the parse stage (decision 0016): a kill between the two stages.
        int[][] killWindows = {{20, 40}, {45, 60}};
        int cutTransactions = 0, killsBetweenStages = 0;
        for (int run = 1; run <= killWindows.length; run++) {
            Process child = startChild("run" + run);
            KillPoint at = awaitKillPoint(
                    child, expected * killWindows[run - 1][0] / 100, expected * killWindows[run - 1][1] / 100);
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, the open batch transaction is cut off
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long after = count("email_message");
            System.out.printf(
                    "run %d killed at %d of %d rows%s, %d fetched and not parsed, %d committed; %.1f s%n",
                    run,
                    at.rows(),
                    expected,
                    at.batchOpen() ? " with a batch transaction open" : "",
                    at.staged(),
                    after,
                    (System.nanoTime() - started) / 1e9);
            assertThat(after).as("run %d was killed before it finished", run).isLessThan(expected);
            cutTransactions += at.batchOpen() ? 1 : 0;
            killsBetweenStages += at.staged() > 0 ? 1 : 0;
        }
        Process last = startChild("run3");
        awaitStableCount(last, expected);
        System.out.printf("all %d rows after the third run; %.1f s%n", expected, (System.nanoTime() - started) / 1e9);

        assertThat(cutTransactions)
                .as("kills that cut an open intake batch transaction")
                .isPositive();
        assertThat(killsBetweenStages)
                .as("kills while fetched mail waited for the parse stage")
                .isPositive();
        assertExactlyOnce();
        awaitThreaded(last);
        assertOneIncidentPerThread();
        assertFilesMatchTheRows();
    }

    @Test
    void twoInstancesAtOnceStoreEveryMessageExactlyOnceTakingTurnsPerFolder() throws Exception {
        long started = System.nanoTime();
        appendInbox(1, 500);
        appendSent(1, 50, 10);
        Process first = startChild("instance-a");
        Process second = startChild("instance-b");
        awaitStarted(first, "instance-a");
        awaitStarted(second, "instance-b");

        // Mail keeps arriving while both instances read: IDLE wake-ups and polls of both race for the folders.
        try (LockWaits waits = new LockWaits(DriverManager.getConnection(jdbcUrl, EmbeddedDatabase.USER, ""))) {
            for (int i = 0; i < 5; i++) {
                appendInbox(501 + i * 80, 80);
                appendSent(51 + i * 20, 20, 10);
                Thread.sleep(200);
            }
            awaitStableCount(first, appendedIds.size());
            // Without the folder lock both read the same new mail at once and one waits for the other's batch.
            assertThat(waits.seen())
                    .as("intake batches that waited for the other instance's batch of the same folder")
                    .isZero();
        }
        System.out.printf(
                "two instances stored all %d rows; %.1f s%n", appendedIds.size(), (System.nanoTime() - started) / 1e9);

        assertThat(first.isAlive()).as("instance a still running").isTrue();
        assertThat(second.isAlive()).as("instance b still running").isTrue();
        assertExactlyOnce();
        long storedByA = storedPerLog("instance-a");
        long storedByB = storedPerLog("instance-b");
        System.out.printf("instance a stored %d, instance b %d%n", storedByA, storedByB);
        assertThat(storedByA).as("stored by instance a").isPositive();
        assertThat(storedByB).as("stored by instance b").isPositive();
        assertThat(storedByA + storedByB)
                .as("stored by both, each message once")
                .isEqualTo(appendedIds.size());
        awaitThreaded(first);
        assertOneIncidentPerThread();
        assertFilesMatchTheRows();
    }

    /** What an instance's log says it stored (its per-pass summary lines). */
    private long storedPerLog(String name) throws IOException {
        Matcher m = STORED.matcher(Files.readString(dir.resolve(name + ".log"), StandardCharsets.ISO_8859_1));
        long stored = 0;
        while (m.find()) stored += Long.parseLong(m.group(1));
        return stored;
    }

    /**
     * Watches, on a connection of its own, for an intake batch waiting for another session's lock on its folder's
     * checkpoint row: two readers of one folder at once.
     */
    private static final class LockWaits implements AutoCloseable {
        private final Connection connection;
        private final Thread thread;
        private final AtomicLong seen = new AtomicLong();
        private volatile boolean stop;

        LockWaits(Connection connection) {
            this.connection = connection;
            this.thread = new Thread(this::watch, "lock-waits");
            thread.start();
        }

        private void watch() {
            try (Statement s = connection.createStatement()) {
                while (!stop) {
                    try (ResultSet rs = s.executeQuery("""
                            select count(*) from pg_stat_activity
                            where wait_event_type = 'Lock' and query like '%from mail_folder where id%for no key update%'
                            """)) {
                        rs.next();
                        seen.addAndGet(rs.getLong(1));
                    }
                    Thread.sleep(2);
                }
            } catch (SQLException | InterruptedException e) {
                if (!stop) throw new IllegalStateException(e);
            }
        }

        long seen() {
            return seen.get();
        }

        @Override
        public void close() throws Exception {
            stop = true;
            thread.join(5_000);
            connection.close();
        }
    }

    private void assertExactlyOnce() throws SQLException {
        assertThat(strings("select message_id from email_message"))
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(appendedIds);
        assertThat(
                        strings(
                                "select folder_id || '/' || uid from email_sighting group by folder_id, uid having count(*) > 1"))
                .as("(folder, UID) pairs with more than one sighting")
                .isEmpty();
        for (String folder : List.of("INBOX", MailServer.SENT)) {
            String role = folder.equals("INBOX") ? "INBOX" : "SENT";
            assertThat(number("select count(*) from email_sighting s join mail_folder f on f.id = s.folder_id"
                            + " where f.role = '" + role + "'"))
                    .as("sightings in %s", folder)
                    .isEqualTo(mail.messageCount(folder));
            assertThat(number("select last_uid from mail_folder where role = '" + role + "'"))
                    .as("checkpoint of %s", folder)
                    .isEqualTo(mail.highestUid(folder));
        }
        assertThat(strings("select uid || ': ' || reason from mail_quarantine")).isEmpty();
        assertThat(count("mail_inbound")).as("fetched mail left unparsed").isZero();
    }

    /** Waits until the children threaded every stored mail. */
    private void awaitThreaded(Process child) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (number("select count(*) from email_message where match_method is null") > 0) {
            checkAlive(child);
            if (System.nanoTime() > deadline) fail("Mail still unthreaded after %s: %s", CATCH_UP, state());
            Thread.sleep(100);
        }
    }

    /** Every mail from outside opened its own incident; every reply joined its original's. */
    private void assertOneIncidentPerThread() throws SQLException {
        assertThat(number("select count(*) from email_message where match_method = 'FAILED'"))
                .as("mail whose threading failed")
                .isZero();
        assertThat(
                        number(
                                "select count(*) from email_message where message_id like 'crash-in-%' and incident_id is null"))
                .as("mail from outside without an incident")
                .isZero();
        assertThat(number("select count(distinct incident_id) from email_message where message_id like 'crash-in-%'"))
                .as("incidents of the mail from outside")
                .isEqualTo(inbound);
        assertThat(number("select count(*) from incident")).as("incidents").isEqualTo(inbound);
        assertThat(number("""
                        select count(*) from email_message o join email_message i on i.message_id = o.in_reply_to
                        where o.message_id like 'crash-out-%' and o.incident_id is distinct from i.incident_id
                        """)).as("replies outside their original's incident").isZero();
    }

    /** Every raw message and attachment a row names is on disk with the content its hash says; no file is extra. */
    private void assertFilesMatchTheRows() throws Exception {
        Path data = dir.resolve("data");
        Set<Path> named = new HashSet<>();
        for (String hash : strings("select raw_sha256 from email_message")) {
            Path raw = data.resolve("raw")
                    .resolve(hash.substring(0, 2))
                    .resolve(hash.substring(2, 4))
                    .resolve(hash + ".eml.gz");
            try (InputStream in = new GZIPInputStream(Files.newInputStream(raw))) {
                assertThat(sha256(in.readAllBytes())).as(raw.toString()).isEqualTo(hash);
            }
            named.add(raw);
        }
        List<String> attachments = strings("select sha256 from email_attachment");
        assertThat(attachments).as("attachments").hasSize(withAttachment);
        for (String hash : attachments) {
            Path file = data.resolve("attachments")
                    .resolve(hash.substring(0, 2))
                    .resolve(hash.substring(2, 4))
                    .resolve(hash);
            assertThat(sha256(Files.readAllBytes(file))).as(file.toString()).isEqualTo(hash);
            named.add(file);
        }
        List<Path> onDisk = new ArrayList<>();
        for (String kind : List.of("raw", "attachments")) {
            try (Stream<Path> files = Files.walk(data.resolve(kind))) {
                files.filter(Files::isRegularFile).forEach(onDisk::add);
            }
        }
        assertThat(onDisk).as("files no row names").allMatch(named::contains);
        try (Stream<Path> parts = Files.list(data.resolve("tmp"))) {
            System.out.printf("%d files checked; %d temporary files left by the kills%n", named.size(), parts.count());
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // --- the child process ---

    private Process startChild(String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                IntakeProcess.class.getName()));
        settings().forEach(setting -> command.add("--" + setting));
        Path log = dir.resolve(name + ".log");
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(log.toFile()))
                .start();
        children.add(child);
        return child;
    }

    private List<String> settings() {
        String account = "dispatch.mail.accounts[0].";
        return List.of(
                "spring.datasource.url=" + jdbcUrl,
                "spring.datasource.username=" + EmbeddedDatabase.USER,
                "spring.datasource.password=",
                "dispatch.installation-id=test",
                "dispatch.data-directory=" + dir.resolve("data"),
                "dispatch.scheduling-enabled=true",
                "dispatch.mail.poll-interval=1s",
                "dispatch.mail.batch-size=50",
                account + "name=dispatch",
                account + "host=127.0.0.1",
                account + "port=" + mail.imapPort(),
                account + "security=NONE",
                account + "username=" + MailServer.ADDRESS,
                account + "password=" + MailServer.PASSWORD,
                account + "sent-folder=" + MailServer.SENT,
                "dispatch.mail.smtp.host=127.0.0.1",
                "dispatch.mail.smtp.port=" + mail.smtpPort(),
                "dispatch.mail.smtp.security=NONE",
                "dispatch.mail.smtp.username=" + MailServer.ADDRESS,
                "dispatch.mail.smtp.password=" + MailServer.PASSWORD,
                "dispatch.mail.smtp.from=" + MailServer.ADDRESS,
                "dispatch.tracker.enabled=false",
                "dispatch.towerstore.enabled=false",
                "dispatch.telegram.enabled=false",
                "dispatch.api.anonymous-read=true",
                // Every thread here is a new incident from one carrier: an allow-listed sender, never held as a flood.
                "dispatch.incident.flood.allow-list=@carrier.example.test",
                "server.address=127.0.0.1",
                "server.port=0",
                "logging.file.name=",
                "logging.level.dispatch.mail.MailIntake=debug");
    }

    private void awaitStarted(Process child, String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        long deadline = System.nanoTime() + STARTUP_AND_PROGRESS.toNanos();
        while (!Files.readString(log, StandardCharsets.ISO_8859_1).contains("Started ")) {
            checkAlive(child);
            if (System.nanoTime() > deadline) fail("%s did not start in %s; see %s", name, STARTUP_AND_PROGRESS, log);
            Thread.sleep(100);
        }
    }

    private record KillPoint(long rows, boolean batchOpen, long staged) {}

    /**
     * Waits until at least {@code from} rows are stored, a read's batch transaction of the child is open and fetched
     * mail waits for the parse stage, or, failing that, until {@code latest} rows are stored.
     */
    private KillPoint awaitKillPoint(Process child, long from, long latest) throws Exception {
        long deadline = System.nanoTime() + STARTUP_AND_PROGRESS.toNanos();
        long last = -1;
        while (true) {
            long count = count("email_message");
            if (count > last) {
                deadline = Math.max(deadline, System.nanoTime() + STARTUP_AND_PROGRESS.toNanos() / 2);
                last = count;
            }
            if (count >= from) {
                long staged = count("mail_inbound");
                if (batchOpen() && staged > 0) return new KillPoint(count, true, staged);
                if (count >= latest) return new KillPoint(count, batchOpen(), staged);
            }
            checkAlive(child);
            if (System.nanoTime() > deadline) fail("No progress for a long while: %s", state());
            Thread.sleep(5);
        }
    }

    /** An intake batch transaction is open: it holds its folder's checkpoint row (nothing else locks that table). */
    private boolean batchOpen() throws SQLException {
        return number("""
                        select count(*) from pg_locks
                        where locktype = 'relation' and relation = 'mail_folder'::regclass
                          and mode = 'RowShareLock' and pid <> pg_backend_pid()
                        """) > 0;
    }

    /** Waits until every distinct Message-ID is stored and the count stays put for a while. */
    private void awaitStableCount(Process child, long expected) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        long stableSince = -1;
        while (true) {
            long count = count("email_message");
            long now = System.nanoTime();
            stableSince = count == expected ? (stableSince < 0 ? now : stableSince) : -1;
            if (stableSince >= 0 && now - stableSince >= STABLE.toNanos() && caughtUp()) return;
            checkAlive(child);
            if (now > deadline) fail("Expected %d rows within %s: %s", expected, CATCH_UP, state());
            Thread.sleep(100);
        }
    }

    private boolean caughtUp() throws SQLException {
        return number("select last_uid from mail_folder where role = 'INBOX'") == mail.highestUid("INBOX")
                && number("select last_uid from mail_folder where role = 'SENT'") == mail.highestUid(MailServer.SENT);
    }

    private void checkAlive(Process child) {
        if (!child.isAlive()) fail("The service exited with %d; see %s", child.exitValue(), dir);
    }

    private String state() throws SQLException {
        return "rows " + count("email_message") + ", folders "
                + strings("select role || ' last_uid=' || last_uid from mail_folder") + " (highest UIDs INBOX "
                + mail.highestUid("INBOX") + ", Sent " + mail.highestUid(MailServer.SENT) + "), folder locks held "
                + number("select count(*) from pg_locks where locktype = 'advisory'")
                + "; logs in " + dir;
    }

    // --- database ---

    private long count(String table) throws SQLException {
        try {
            return number("select count(*) from " + table);
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) return 0; // the first child has not migrated the schema yet
            throw e;
        }
    }

    private long number(String sql) throws SQLException {
        List<String> rows = strings(sql);
        return rows.isEmpty() ? -1 : Long.parseLong(rows.get(0));
    }

    private List<String> strings(String sql) throws SQLException {
        try (Statement s = db.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            List<String> result = new ArrayList<>();
            while (rs.next()) result.add(rs.getString(1));
            return result;
        }
    }

    // --- mail ---

    private void appendInbox(int from, int count) {
        for (int n = from; n < from + count; n++) {
            mail.append("INBOX", inbound(n));
        }
    }

    /**
     * Appends {@code count} replies of the desk to the mail from outside, to Sent; every {@code sharedEvery}-th also
     * to INBOX (the desk keeps itself in copy), with the same Message-ID.
     */
    private void appendSent(int from, int count, int sharedEvery) {
        for (int n = from; n < from + count; n++) {
            byte[] reply = outbound(n);
            mail.append(MailServer.SENT, reply);
            if (n % sharedEvery == 0) {
                mail.append("INBOX", reply);
            }
        }
    }

    /** A new thread from outside; every 10th with a small attachment. */
    private byte[] inbound(int n) {
        inbound++;
        String id = "crash-in-" + n + "@carrier.example.test";
        String text = "Нет питания на опоре 50123-01, сообщение " + n + "\r\n";
        if (n % 10 != 0) {
            return message(id, "noc@carrier.example.test", MailServer.ADDRESS, "", n, PLAIN + text);
        }
        withAttachment++;
        byte[] photo = new byte[2048];
        new Random(n).nextBytes(photo);
        return message(
                id,
                "noc@carrier.example.test",
                MailServer.ADDRESS,
                "",
                n,
                "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n" + PLAIN + text + "--b\r\n"
                        + "Content-Type: image/jpeg\r\nContent-Disposition: attachment; filename=\"photo-" + n
                        + ".jpg\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                        + Base64.getMimeEncoder().encodeToString(photo) + "\r\n--b--\r\n");
    }

    /** The desk's answer to {@code crash-in-n}. */
    private byte[] outbound(int n) {
        return message(
                "crash-out-" + n + "@desk.example.test",
                MailServer.ADDRESS,
                "noc@carrier.example.test",
                "In-Reply-To: <crash-in-" + n + "@carrier.example.test>\r\n",
                n,
                PLAIN + "Принято, сообщение " + n + "\r\n");
    }

    private static final String PLAIN =
            "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n";

    private byte[] message(String messageId, String from, String to, String headers, int n, String content) {
        appendedIds.add(messageId);
        return ("Message-ID: <" + messageId + ">\r\n"
                        + "From: " + from + "\r\n"
                        + "To: " + to + "\r\n"
                        + headers
                        + "Subject: Авария " + n + "\r\n"
                        + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + content)
                .getBytes(StandardCharsets.UTF_8);
    }
}
