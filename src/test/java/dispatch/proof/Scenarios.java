package dispatch.proof;

import dispatch.proof.Checks.Command;
import dispatch.proof.Checks.Result;
import dispatch.proof.Mails.Kind;
import dispatch.proof.Mails.Mail;
import dispatch.proof.ProofRun.Line;
import dispatch.proof.ProofRun.Profile;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The scenarios of issue #24, one after another in one world; each ends with every invariant checked. */
final class Scenarios {

    final World world;
    final Profile profile;
    final List<Line> lines;
    final Checks checks;
    final Random random = new Random(24);
    final App a;
    final App b;
    private final Runnable progress;
    final List<Mail> sent = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();
    private int nextThread = 1;

    Scenarios(World world, Path jar, Profile profile, List<Line> lines, Runnable progress) {
        this.progress = progress;
        this.world = world;
        this.profile = profile;
        this.lines = lines;
        this.checks = new Checks(world);
        this.a = new App("app-a", jar, world, ProofRun.free());
        this.b = new App("app-b", jar, world, ProofRun.free());
    }

    /** Runs the named scenarios (all: kills, two, faults, smtp, postgres, imap, latency, idle, reports) in order. */
    void run(Set<String> which) throws Exception {
        require(a.start().awaitReady(KillScenarios.START), "app-a did not become ready");
        KillScenarios kills = new KillScenarios(this);
        FigureScenarios figures = new FigureScenarios(this);
        if (which.contains("kills")) kills.kills();
        if (which.contains("two")) kills.twoInstances();
        OutageScenarios outages = new OutageScenarios(this);
        if (which.contains("faults")) outages.trackerFaults();
        if (which.contains("smtp")) outages.smtpDown();
        if (which.contains("postgres")) outages.postgresRestart();
        if (which.contains("imap")) outages.imapRestart();
        if (which.contains("latency")) figures.latency();
        if (which.contains("idle")) figures.idleTrackerCalls();
        // Last: its 500,000 incidents of a decade are not mail this proof sent, and no invariant is checked after it.
        if (which.contains("reports")) figures.reports();
    }

    void stopApps() {
        a.stop();
        b.stop();
    }

    List<Mail> mails(String scenario, int count) {
        List<Mail> mails = Mails.generate(scenario, nextThread, count, random.nextLong());
        nextThread = mails.stream().mapToInt(Mail::thread).max().orElse(nextThread) + 1;
        sent.addAll(mails);
        return mails;
    }

    /** {@code count} opening mails, one thread each. */
    List<Mail> openers(String scenario, int count) {
        List<Mail> mails = Mails.openers(scenario, nextThread, count);
        nextThread += count;
        sent.addAll(mails);
        return mails;
    }

    Feeder feed(List<Mail> mails, Duration over) {
        Feeder feeder = new Feeder(world, mails, over);
        feeder.start();
        return feeder;
    }

    /** Moves the issues of threads not commanded yet to {@code status}, as a dispatcher in Tracker's UI. */
    void command(int count, String status) throws SQLException {
        List<Mail> openers = sent.stream()
                .filter(m -> m.kind() == Kind.OPENER)
                .filter(m -> commands.stream().noneMatch(c -> c.requester().equals(sender(m))))
                .toList();
        int issued = 0;
        for (Mail opener : openers) {
            String key = issueKey(opener);
            if (issued == count) {
                break;
            } else if (key != null) {
                world.control("/control/transition?key=" + key + "&status="
                        + URLEncoder.encode(status, StandardCharsets.UTF_8));
                commands.add(new Command(key, status, sender(opener)));
                issued++;
            }
        }
        require(issued == count, "only " + issued + " issues to command");
    }

    private static String sender(Mail opener) {
        return "op" + opener.thread() + "@d" + (opener.thread() % 97) + ".operator.test";
    }

    String issueKey(Mail mail) throws SQLException {
        try (Connection c = world.db();
                PreparedStatement s = c.prepareStatement("""
                        select i.tracker_key from email_message e join incident i on i.id = e.incident_id
                        where e.message_id in (?, ?)""")) {
            s.setString(1, mail.messageId());
            s.setString(2, "<" + mail.messageId() + ">");
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    void settleAndCheck(String name) throws Exception {
        long started = System.nanoTime();
        boolean settled = waitFor(
                Duration.ofSeconds(profile.settleSeconds()),
                () -> checks.settled(sent) && checks.commandsDone(commands) && checks.copiesStored());
        lines.add(new Line(
                name,
                "settled (all stored, threaded, delivered, copies stored) within " + profile.settleSeconds() + " s",
                "yes",
                settled ? "in " + (System.nanoTime() - started) / 1_000_000_000 + " s" : "no",
                ok(settled)));
        for (Result r : checks.all(sent, commands)) {
            lines.add(new Line(name, r.check(), r.expected(), r.actual(), ok(r.ok())));
        }
        System.out.println("scenario done: " + name);
        progress.run();
        lines.stream()
                .filter(l -> l.scenario().equals(name))
                .forEach(l -> System.out.println("  " + l.verdict() + "  " + l.check() + ": " + l.actual()));
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static boolean waitFor(Duration timeout, Condition condition) throws InterruptedException {
        return waitFor(timeout, Duration.ofSeconds(1), condition);
    }

    static boolean waitFor(Duration timeout, Duration every, Condition condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.holds()) {
                    return true;
                }
            } catch (Exception e) {
                // a server restarting: ask again
            }
            Thread.sleep(every.toMillis());
        }
        return false;
    }

    Timestamp dbNow() throws SQLException {
        try (Connection c = world.db();
                ResultSet rs = c.createStatement().executeQuery("select now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    static String storedSince(Timestamp t) {
        return "select count(*) from email_message where stored_at > '" + t.toInstant() + "'";
    }

    static Line figure(String scenario, String what, String value) {
        return new Line(scenario, what, "(figure)", value, "measured");
    }

    static String ok(boolean ok) {
        return ok ? "ok" : "VIOLATED";
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
