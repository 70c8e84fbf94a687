package dispatch.proof;

import dispatch.proof.ProofRun.Line;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What the app depends on, failing: the fake Tracker failing 30 % of calls (and losing answers after applying a
 * create or a comment), SMTP down while dispatchers set notify statuses, PostgreSQL and Dovecot restarted mid-run.
 */
final class OutageScenarios {

    private final Scenarios s;

    OutageScenarios(Scenarios scenarios) {
        this.s = scenarios;
    }

    void trackerFaults() throws Exception {
        String name = "fake Tracker failing 30 % of calls";
        s.world.control("/control/faults?p=0.3&seed=" + s.random.nextInt(1000));
        // Besides the random ones, the faults that matter most, sure to fire: answers lost after Tracker applied a
        // create or a comment.
        for (String call : List.of("POST%20/issues/", "POST%20/issues/*/comments")) {
            s.world.control("/control/next?fault=applyThenDrop&pattern=" + call);
            s.world.control("/control/next?fault=applyThenDrop&pattern=" + call);
        }
        Feeder feeder = s.feed(s.mails("f", s.profile.mails()), Duration.ofSeconds(30));
        feeder.finish(Duration.ofMinutes(5));
        Scenarios.waitFor(Duration.ofSeconds(s.profile.settleSeconds()), () -> s.checks.settled(s.sent));
        s.command(s.profile.commands(), "notifyOperatorInWork");
        s.settleAndCheck(name);
        JsonNode fired = s.world.control("/control/faults?p=0");
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
        s.lines.add(new Line(
                name, "faults fired (all calls)", "> 0", String.valueOf(fired.size()), Scenarios.ok(fired.size() > 0)));
        s.lines.add(new Line(
                name, "answer lost after an issue create was applied", "> 0", "" + creates, Scenarios.ok(creates > 0)));
        s.lines.add(new Line(
                name, "answer lost after a comment was applied", "> 0", "" + comments, Scenarios.ok(comments > 0)));
    }

    void smtpDown() throws Exception {
        String name = "SMTP down while dispatchers set notify statuses";
        s.world.stopSmtp();
        s.command(s.profile.commands(), "notifyOperatorInWork");
        Thread.sleep(20_000);
        s.world.startSmtp();
        s.settleAndCheck(name);
    }

    void postgresRestart() throws Exception {
        String name = "PostgreSQL restarted mid-run";
        Feeder feeder = s.feed(s.mails("p", s.profile.mails()), Duration.ofSeconds(40));
        Thread.sleep(15_000);
        s.world.stopPostgres();
        Thread.sleep(10_000);
        s.world.startPostgres();
        feeder.finish(Duration.ofMinutes(5));
        s.settleAndCheck(name);
    }

    void imapRestart() throws Exception {
        String name = "Dovecot restarted mid-run";
        Feeder feeder = s.feed(s.mails("i", s.profile.mails()), Duration.ofSeconds(40));
        Thread.sleep(15_000);
        s.world.restartDovecot(Duration.ofSeconds(5));
        feeder.finish(Duration.ofMinutes(5));
        s.settleAndCheck(name);
    }
}
