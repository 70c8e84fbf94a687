package dispatch.proof;

import dispatch.proof.Mails.Kind;
import dispatch.proof.Mails.Mail;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** The figures of issue #24 that need a scenario of their own: latency at a steady rate, idle Tracker calls. */
final class FigureScenarios {

    private final Scenarios s;

    FigureScenarios(Scenarios scenarios) {
        this.s = scenarios;
    }

    /** Mail → Tracker issue: from the end of the mail's APPEND to the issue's createdAt in the fake, openers only. */
    void latency() throws Exception {
        String name = "steady 5 mails/s";
        List<Mail> mails = s.mails("l", s.profile.mails() * 2);
        Feeder feeder = new Feeder(s.world, mails, Duration.ofMillis(mails.size() * 200L), 1);
        feeder.start();
        feeder.finish(Duration.ofMinutes(5));
        s.settleAndCheck(name);
        Map<String, String> createdAt = new HashMap<>();
        for (JsonNode issue : s.world.inspect("/tracker/issues")) {
            createdAt.put(issue.path("key").asString(), issue.path("createdAt").asString());
        }
        List<Long> millis = new ArrayList<>();
        for (Mail m : mails) {
            String key = m.kind() == Kind.OPENER ? s.issueKey(m) : null;
            Long appended = feeder.appendedAt().get(m.messageId());
            if (key != null && appended != null && createdAt.containsKey(key)) {
                millis.add(OffsetDateTime.parse(createdAt.get(key), TRACKER_TIME)
                                .toInstant()
                                .toEpochMilli()
                        - appended);
            }
        }
        Collections.sort(millis);
        s.lines.add(Scenarios.figure(
                name,
                "mail → Tracker issue latency p50 / p99 (" + millis.size() + " new incidents)",
                millis.isEmpty()
                        ? "not measured"
                        : percentile(millis, 50) + " ms / " + percentile(millis, 99) + " ms"));
    }

    /**
     * Calls the service makes to the fake Tracker in the three minutes after the last change (no mail, no edits). The
     * full profile first opens issues by mail until {@code openIssues} are open, as a busy desk's would be. Each
     * minute is shown by route: the pull reads again what changed within its overlap (2 minutes), so the first
     * minutes after a burst re-read the burst; the third is the desk at rest.
     */
    void idleTrackerCalls() throws Exception {
        int missing = s.profile.openIssues() - openIssues();
        if (missing > 0) {
            s.feed(s.openers("o", missing), Duration.ofMillis(missing * 50L)).finish(Duration.ofMinutes(10));
            s.settleAndCheck("mail until " + s.profile.openIssues() + " issues are open");
        }
        int open = openIssues();
        List<String> minutes = new ArrayList<>();
        Map<String, Long> before = calls();
        for (int minute = 1; minute <= 3; minute++) {
            Thread.sleep(60_000);
            Map<String, Long> now = calls();
            Map<String, Long> spent = new TreeMap<>();
            for (Map.Entry<String, Long> route : now.entrySet()) {
                long delta = route.getValue() - before.getOrDefault(route.getKey(), 0L);
                if (delta > 0) spent.put(route.getKey(), delta);
            }
            long total = spent.values().stream().mapToLong(Long::longValue).sum();
            minutes.add(total + " " + spent);
            before = now;
        }
        s.lines.add(Scenarios.figure(
                "idle",
                "Tracker calls in each of the 3 minutes after the last change, with " + open
                        + " open issues (pull every 2 s here; default 10 s)",
                String.join(" → ", minutes)));
    }

    private int openIssues() {
        int open = 0;
        for (JsonNode issue : s.world.inspect("/tracker/issues")) {
            open += "closed".equals(issue.path("status").path("key").asString()) ? 0 : 1;
        }
        return open;
    }

    /** Calls so far by route ("POST /issues/_search" and so on), to tell the pull's own from a sweep's or a push's. */
    private Map<String, Long> calls() {
        Map<String, Long> calls = new HashMap<>();
        s.world
                .inspect("/tracker/calls")
                .properties()
                .forEach(e -> calls.put(e.getKey(), e.getValue().asLong()));
        return calls;
    }

    static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static final DateTimeFormatter TRACKER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    void reports() throws Exception {
        new ReportsFigure(s).run();
    }
}
