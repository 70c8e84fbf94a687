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
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/** The scenarios of issue #24, one after another in one world; each ends with every invariant checked. */
final class Scenarios {

    private final World world;
    private final Profile profile;
    private final List<Line> lines;
    private final Runnable progress;
    private final Checks checks;
    private final Random random = new Random(24);
    private final List<Mail> sent = new ArrayList<>();
    private final List<Command> commands = new ArrayList<>();
    private final List<Long> restartMillis = new ArrayList<>();
    private final App a;
    private final App b;
    private int nextThread = 1;
    private long peakRssKb;

    Scenarios(World world, Path jar, Profile profile, List<Line> lines, Runnable progress) {
        this.progress = progress;
        this.world = world;
        this.profile = profile;
        this.lines = lines;
        this.checks = new Checks(world);
        this.a = new App("app-a", jar, world, ProofRun.free());
        this.b = new App("app-b", jar, world, ProofRun.free());
    }

    /** Runs the named scenarios (all: kills, two, faults, smtp, postgres, imap, latency, idle) in that order. */
    void run(java.util.Set<String> which) throws Exception {
        require(a.start().awaitReady(Duration.ofMinutes(6)), "app-a did not become ready");
        if (which.contains("kills")) kills();
        if (which.contains("two")) twoInstances();
        if (which.contains("faults")) trackerFaults();
        if (which.contains("smtp")) smtpDown();
        if (which.contains("postgres")) postgresRestart();
        if (which.contains("imap")) imapRestart();
        if (which.contains("latency")) latency();
        if (which.contains("idle")) idleTrackerCalls();
    }

    private void kills() throws Exception {
        String name = profile.killMails() + " mails, app SIGKILLed " + profile.kills() + "×";
        List<Mail> mails = mails("k", profile.killMails());
        Feeder feeder = feed(mails, Duration.ofSeconds(profile.killSeconds()));
        long slice = profile.killSeconds() * 1000L / (profile.kills() + 1);
        Long pullAfterKill = null;
        for (int k = 0; k < profile.kills(); k++) {
            sampleRss(a, 1 + random.nextInt((int) Math.max(1, slice / 1000)));
            if (k == 0) {
                killDuringTrackerPull();
            } else {
                a.kill();
            }
            Timestamp launched = dbNow();
            long started = System.nanoTime();
            long searches = searchCalls();
            a.start();
            if (waitFor(Duration.ofMinutes(4), () -> checks.count(storedSince(launched)) > 0)) {
                restartMillis.add((System.nanoTime() - started) / 1_000_000);
            }
            if (k == 0 && waitFor(Duration.ofMinutes(4), () -> searchCalls() > searches)) {
                pullAfterKill = (System.nanoTime() - started) / 1_000_000;
            }
        }
        feeder.finish(Duration.ofSeconds(profile.killSeconds() + 300L));
        settleAndCheck(name);
        lines.add(figure(
                name, "RSS of the app at rest (after the backlog)", a.process().rssKb() / 1024 + " MB"));
        lines.add(figure(name, "RSS of the app during the backlog (peak of 1 s samples)", peakRssKb / 1024 + " MB"));
        List<Long> sorted = restartMillis.stream().sorted().toList();
        lines.add(figure(
                name,
                "restart after SIGKILL → first mail stored (median / max of " + sorted.size() + ")",
                sorted.isEmpty()
                        ? "not measured (no restart saw new mail)"
                        : sorted.get(sorted.size() / 2) + " ms / " + sorted.get(sorted.size() - 1) + " ms"));
        // The kill came while the pull held its lock: the lock's lease, not the schedule, says when pulling resumes.
        lines.add(new Line(
                name,
                "restart after a SIGKILL during a Tracker pull → next pull (lock lease 1 min)",
                "≤ 180 s",
                pullAfterKill == null ? "none within 240 s" : pullAfterKill + " ms",
                ok(pullAfterKill != null && pullAfterKill <= 180_000)));
    }

    /** Slows the next issue search down and kills the app while it waits for the answer, holding the pull's lock. */
    private void killDuringTrackerPull() throws Exception {
        long before = slowSearches();
        world.control("/control/next?fault=slow&pattern=POST%20/issues/_search");
        require(
                waitFor(Duration.ofSeconds(60), Duration.ofMillis(50), () -> slowSearches() > before),
                "no Tracker pull reached the slowed search");
        a.kill();
    }

    private long slowSearches() {
        long n = 0;
        for (JsonNode f : world.inspect("/control/faults")) {
            n += f.asString().startsWith("POST /issues/_search -> Delay") ? 1 : 0;
        }
        return n;
    }

    private long searchCalls() {
        return world.inspect("/tracker/calls").path("POST /issues/_search").asLong();
    }

    private void twoInstances() throws Exception {
        String name = "two instances, one SIGKILLed midway";
        a.stop();
        a.start();
        b.start();
        require(a.awaitReady(Duration.ofMinutes(6)) && b.awaitReady(Duration.ofMinutes(6)), "app-a/b not ready");
        Feeder feeder = feed(mails("t", profile.mails() * 2), Duration.ofSeconds(40));
        Thread.sleep(20_000);
        b.kill();
        feeder.finish(Duration.ofMinutes(5));
        settleAndCheck(name);
        lines.add(figure(
                name,
                "incidents opened by instance A / by B (B until its kill; from their logs)",
                threadedIn("app-a") + " / " + threadedIn("app-b")));
    }

    private void trackerFaults() throws Exception {
        String name = "fake Tracker failing 30 % of calls";
        world.control("/control/faults?p=0.3&seed=" + random.nextInt(1000));
        // Besides the random ones, the faults that matter most, sure to fire: answers lost after Tracker applied a
        // create or a comment.
        for (String call : List.of("POST%20/issues/", "POST%20/issues/*/comments")) {
            world.control("/control/next?fault=applyThenDrop&pattern=" + call);
            world.control("/control/next?fault=applyThenDrop&pattern=" + call);
        }
        Feeder feeder = feed(mails("f", profile.mails()), Duration.ofSeconds(30));
        feeder.finish(Duration.ofMinutes(5));
        waitFor(Duration.ofSeconds(profile.settleSeconds()), () -> checks.settled(sent));
        command(profile.commands(), "notifyOperatorInWork");
        settleAndCheck(name);
        JsonNode fired = world.control("/control/faults?p=0");
        long creates = 0;
        long comments = 0;
        for (JsonNode f : fired) {
            String call = f.asString();
            creates += call.startsWith("POST /issues/ -> ApplyThenDrop")
                            || call.startsWith("POST /issues -> ApplyThenDrop")
                    ? 1
                    : 0;
            comments += call.matches("POST /issues/[^/]+/comments.* -> ApplyThenDrop.*") ? 1 : 0;
        }
        lines.add(
                new Line(name, "faults fired (all calls)", "> 0", String.valueOf(fired.size()), ok(fired.size() > 0)));
        lines.add(
                new Line(name, "answer lost after an issue create was applied", "> 0", "" + creates, ok(creates > 0)));
        lines.add(new Line(name, "answer lost after a comment was applied", "> 0", "" + comments, ok(comments > 0)));
    }

    private void smtpDown() throws Exception {
        String name = "SMTP down while dispatchers set notify statuses";
        world.stopSmtp();
        command(profile.commands(), "notifyOperatorInWork");
        Thread.sleep(20_000);
        world.startSmtp();
        settleAndCheck(name);
    }

    private void postgresRestart() throws Exception {
        String name = "PostgreSQL restarted mid-run";
        Feeder feeder = feed(mails("p", profile.mails()), Duration.ofSeconds(40));
        Thread.sleep(15_000);
        world.stopPostgres();
        Thread.sleep(10_000);
        world.startPostgres();
        feeder.finish(Duration.ofMinutes(5));
        settleAndCheck(name);
    }

    private void imapRestart() throws Exception {
        String name = "Dovecot restarted mid-run";
        Feeder feeder = feed(mails("i", profile.mails()), Duration.ofSeconds(40));
        Thread.sleep(15_000);
        world.restartDovecot(Duration.ofSeconds(5));
        feeder.finish(Duration.ofMinutes(5));
        settleAndCheck(name);
    }

    /** Mail → Tracker issue: from the end of the mail's APPEND to the issue's createdAt in the fake, openers only. */
    private void latency() throws Exception {
        String name = "steady 5 mails/s";
        List<Mail> mails = mails("l", profile.mails() * 2);
        Feeder feeder = new Feeder(world, mails, Duration.ofMillis(mails.size() * 200L), 1);
        feeder.start();
        feeder.finish(Duration.ofMinutes(5));
        settleAndCheck(name);
        Map<String, String> createdAt = new HashMap<>();
        for (JsonNode issue : world.inspect("/tracker/issues")) {
            createdAt.put(issue.path("key").asString(), issue.path("createdAt").asString());
        }
        List<Long> millis = new ArrayList<>();
        for (Mail m : mails) {
            String key = m.kind() == Kind.OPENER ? issueKey(m) : null;
            Long appended = feeder.appendedAt().get(m.messageId());
            if (key != null && appended != null && createdAt.containsKey(key)) {
                millis.add(OffsetDateTime.parse(createdAt.get(key), TRACKER_TIME)
                                .toInstant()
                                .toEpochMilli()
                        - appended);
            }
        }
        Collections.sort(millis);
        lines.add(figure(
                name,
                "mail → Tracker issue latency p50 / p99 (" + millis.size() + " new incidents)",
                millis.isEmpty()
                        ? "not measured"
                        : percentile(millis, 50) + " ms / " + percentile(millis, 99) + " ms"));
    }

    /** Calls the service makes to the fake Tracker in one idle minute (no mail, no changes). */
    private void idleTrackerCalls() throws Exception {
        int issues = world.inspect("/tracker/issues").size();
        long before = totalCalls();
        Thread.sleep(60_000);
        long calls = totalCalls() - before;
        lines.add(figure(
                "idle",
                "Tracker calls per minute when idle with " + issues + " open issues (issue #24 asks 2,000)",
                String.valueOf(calls)));
    }

    private long totalCalls() {
        long total = 0;
        for (JsonNode count : world.inspect("/tracker/calls")) {
            total += count.asLong();
        }
        return total;
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static final DateTimeFormatter TRACKER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    private long threadedIn(String instance) throws java.io.IOException {
        Path log = world.dir.resolve("logs/" + instance + ".log");
        try (var lines = java.nio.file.Files.lines(log)) {
            return lines.filter(l -> l.contains("opened incident") && l.contains("proof-t-"))
                    .count();
        }
    }

    void stopApps() {
        a.stop();
        b.stop();
    }

    private List<Mail> mails(String scenario, int count) {
        List<Mail> mails = Mails.generate(scenario, nextThread, count, random.nextLong());
        nextThread = mails.stream().mapToInt(Mail::thread).max().orElse(nextThread) + 1;
        sent.addAll(mails);
        return mails;
    }

    private Feeder feed(List<Mail> mails, Duration over) {
        Feeder feeder = new Feeder(world, mails, over);
        feeder.start();
        return feeder;
    }

    /** Moves the issues of threads not commanded yet to {@code status}, as a dispatcher in Tracker's UI. */
    private void command(int count, String status) throws SQLException {
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

    private String issueKey(Mail mail) throws SQLException {
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

    private void settleAndCheck(String name) throws Exception {
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

    private static boolean waitFor(Duration timeout, Condition condition) throws InterruptedException {
        return waitFor(timeout, Duration.ofSeconds(1), condition);
    }

    private static boolean waitFor(Duration timeout, Duration every, Condition condition) throws InterruptedException {
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

    private void sampleRss(App app, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds; i++) {
            peakRssKb = Math.max(peakRssKb, app.process().rssKb());
            Thread.sleep(1000);
        }
    }

    private Timestamp dbNow() throws SQLException {
        try (Connection c = world.db();
                ResultSet rs = c.createStatement().executeQuery("select now()")) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private static String storedSince(Timestamp t) {
        return "select count(*) from email_message where stored_at > '" + t.toInstant() + "'";
    }

    private static Line figure(String scenario, String what, String value) {
        return new Line(scenario, what, "(figure)", value, "measured");
    }

    private static String ok(boolean ok) {
        return ok ? "ok" : "VIOLATED";
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }
}
