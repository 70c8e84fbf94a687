package dispatch.proof;

import dispatch.proof.Mails.Mail;
import dispatch.proof.ProofRun.Line;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The app killed: SIGKILLed at random moments (once while a Tracker pull holds its lock) while mail comes in and
 * restarted each time; two instances on one database and mailbox, one of them SIGKILLed midway.
 */
final class KillScenarios {

    /** How long a (re)start may take: minutes on a loaded 2-core machine. */
    static final Duration START = Duration.ofMinutes(15);

    private final Scenarios s;
    private final List<Long> restartMillis = new ArrayList<>();
    private long peakRssKb;

    KillScenarios(Scenarios scenarios) {
        this.s = scenarios;
    }

    void kills() throws Exception {
        String name = s.profile.killMails() + " mails, app SIGKILLed " + s.profile.kills() + "×";
        List<Mail> mails = s.mails("k", s.profile.killMails());
        Feeder feeder = s.feed(mails, Duration.ofSeconds(s.profile.killSeconds()));
        long slice = s.profile.killSeconds() * 1000L / (s.profile.kills() + 1);
        Long pullAfterKill = null;
        Long mailAfterKill = null;
        for (int k = 0; k < s.profile.kills(); k++) {
            sampleRss(s.a, 1 + s.random.nextInt((int) Math.max(1, slice / 1000)));
            if (k == 0) {
                killDuringTrackerPull();
            } else {
                s.a.kill();
            }
            Timestamp launched = s.dbNow();
            long started = System.nanoTime();
            long searches = searchCalls();
            boolean backlog = feeder.isAlive() || !s.checks.settled(s.sent);
            s.a.start();
            // With no mail left to store, the restart is timed to readiness only (and not counted among the figures).
            if (backlog && Scenarios.waitFor(START, () -> s.checks.count(Scenarios.storedSince(launched)) > 0)) {
                restartMillis.add((System.nanoTime() - started) / 1_000_000);
                mailAfterKill = k == 0 ? restartMillis.get(0) : mailAfterKill;
            } else if (s.a.awaitReady(START) && k == 0) {
                mailAfterKill = (System.nanoTime() - started) / 1_000_000;
            }
            if (k == 0 && Scenarios.waitFor(START, () -> searchCalls() > searches)) {
                pullAfterKill = (System.nanoTime() - started) / 1_000_000;
            }
        }
        feeder.finish(Duration.ofSeconds(s.profile.killSeconds() + 300L));
        s.settleAndCheck(name);
        s.lines.add(Scenarios.figure(
                name,
                "RSS of the app at rest (after the backlog)",
                s.a.process().rssKb() / 1024 + " MB"));
        s.lines.add(Scenarios.figure(
                name, "RSS of the app during the backlog (peak of 1 s samples)", peakRssKb / 1024 + " MB"));
        List<Long> sorted = restartMillis.stream().sorted().toList();
        s.lines.add(Scenarios.figure(
                name,
                "restart after SIGKILL → first mail stored (median / max of " + sorted.size() + ")",
                sorted.isEmpty()
                        ? "not measured (no restart saw new mail)"
                        : sorted.get(sorted.size() / 2) + " ms / " + sorted.get(sorted.size() - 1) + " ms"));
        // The kill came while the pull held its lock: the lock's lease, not the schedule, says when pulling resumes.
        // Measured against the restarted app's first stored mail, as its start takes minutes on a loaded machine.
        Long late = pullAfterKill == null || mailAfterKill == null ? null : pullAfterKill - mailAfterKill;
        s.lines.add(new Line(
                name,
                "SIGKILL during a Tracker pull: restart → first mail stored (or ready) / → next pull (lock lease 1 min)",
                "pull ≤ 120 s after the mail",
                pullAfterKill == null
                        ? "no pull within " + START.toMinutes() + " min"
                        : mailAfterKill + " ms / " + pullAfterKill + " ms",
                Scenarios.ok(late != null && late <= 120_000)));
    }

    /** Slows the next issue search down and kills the app while it waits for the answer, holding the pull's lock. */
    private void killDuringTrackerPull() throws Exception {
        long before = slowSearches();
        s.world.control("/control/next?fault=slow&pattern=POST%20/issues/_search");
        Scenarios.require(
                Scenarios.waitFor(Duration.ofSeconds(60), Duration.ofMillis(50), () -> slowSearches() > before),
                "no Tracker pull reached the slowed search");
        s.a.kill();
    }

    private long slowSearches() {
        long n = 0;
        for (JsonNode f : s.world.inspect("/control/faults")) {
            n += f.asString().startsWith("POST /issues/_search -> Delay") ? 1 : 0;
        }
        return n;
    }

    private long searchCalls() {
        return s.world.inspect("/tracker/calls").path("POST /issues/_search").asLong();
    }

    void twoInstances() throws Exception {
        String name = "two instances, one SIGKILLed midway";
        s.a.stop();
        s.a.start();
        s.b.start();
        Scenarios.require(s.a.awaitReady(START) && s.b.awaitReady(START), "app-a/b not ready");
        Feeder feeder = s.feed(s.mails("t", s.profile.mails() * 2), Duration.ofSeconds(40));
        Thread.sleep(20_000);
        s.b.kill();
        feeder.finish(Duration.ofMinutes(5));
        s.settleAndCheck(name);
        s.lines.add(Scenarios.figure(
                name,
                "incidents opened by instance A / by B (B until its kill; from their logs)",
                threadedIn("app-a") + " / " + threadedIn("app-b")));
    }

    private long threadedIn(String instance) throws IOException {
        Path log = s.world.dir.resolve("logs/" + instance + ".log");
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains("opened incident") && l.contains("proof-t-"))
                    .count();
        }
    }

    private void sampleRss(App app, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds; i++) {
            peakRssKb = Math.max(peakRssKb, app.process().rssKb());
            Thread.sleep(1000);
        }
    }
}
