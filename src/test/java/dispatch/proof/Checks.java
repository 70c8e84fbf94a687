package dispatch.proof;

import dispatch.proof.Mails.Kind;
import dispatch.proof.Mails.Mail;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The invariants, checked from outside the service: SQL against its database, the fake Tracker's inspection, the SMTP
 * sink's listing. Every mail sent is stored once; each thread is one incident, each incident one issue, each later
 * mail one comment, each auto-reply command one mail; nothing is left pending.
 */
final class Checks {

    record Result(String check, String expected, String actual, boolean ok) {}

    /** A dispatcher's command: the issue moved to a notify… status, the opening mail's sender to be answered. */
    record Command(String issueKey, String status, String requester) {}

    private record Row(long id, Long incident) {}

    private final World world;

    Checks(World world) {
        this.world = world;
    }

    /** Cheap: all sent mail stored and threaded, and no delivery waiting. */
    boolean settled(List<Mail> sent) throws SQLException {
        Map<String, Row> rows = rows();
        for (Mail m : sent) {
            Row row = rows.get(m.messageId());
            if (row == null || (m.kind() != Kind.AUTO_REPLY && row.incident == null)) {
                return false;
            }
        }
        return pendingDeliveries() == 0;
    }

    /** Every commanded issue has moved on to its notified… status. */
    boolean commandsDone(List<Command> commands) {
        return commandsDoneCount(commands) == commands.size();
    }

    private long commandsDoneCount(List<Command> commands) {
        Map<String, String> status = new HashMap<>();
        for (JsonNode issue : world.inspect("/tracker/issues")) {
            status.put(
                    issue.path("key").asString(),
                    issue.path("status").path("key").asString());
        }
        return commands.stream()
                .filter(c -> c.status().replaceFirst("^notify", "notified").equals(status.get(c.issueKey())))
                .count();
    }

    List<Result> all(List<Mail> sent, List<Command> commands) throws SQLException {
        List<Result> results = new ArrayList<>();
        Map<String, Row> rows = rows();
        long stored = sent.stream().filter(m -> rows.containsKey(m.messageId())).count();
        results.add(result("every mail sent is stored (by Message-ID)", sent.size(), stored));

        Map<Integer, Set<Long>> incidentsByThread = new HashMap<>();
        long autoLinked = 0;
        for (Mail m : sent) {
            Row row = rows.get(m.messageId());
            if (m.kind() == Kind.AUTO_REPLY) {
                autoLinked += row != null && row.incident != null ? 1 : 0;
            } else {
                incidentsByThread
                        .computeIfAbsent(m.thread(), t -> new HashSet<>())
                        .add(row == null ? null : row.incident);
            }
        }
        results.add(result("auto-replies open or join no incident", 0, autoLinked));
        Set<Long> seen = new HashSet<>();
        long oneEach = incidentsByThread.values().stream()
                .filter(s -> s.size() == 1
                        && !s.contains(null)
                        && seen.add(s.iterator().next()))
                .count();
        results.add(result("one incident per thread (all its mails in it)", incidentsByThread.size(), oneEach));

        Map<Long, String> keys = new HashMap<>();
        try (Connection c = world.db();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select id, tracker_key from incident")) {
            while (rs.next()) {
                keys.put(rs.getLong(1), rs.getString(2));
            }
        }
        Set<String> issues = new HashSet<>();
        for (JsonNode issue : world.inspect("/tracker/issues")) {
            issues.add(issue.path("key").asString());
        }
        long mirrored = keys.values().stream().filter(issues::contains).count();
        results.add(result("every incident has its issue in Tracker", keys.size(), mirrored));
        results.add(result("Tracker issues = incidents (none twice)", keys.size(), issues.size()));

        long laterMails = 0;
        long commentedOnce = 0;
        Map<String, List<String>> commentsByIssue = new HashMap<>();
        for (Mail m : sent) {
            if (m.kind() != Kind.REPLY && m.kind() != Kind.SENT_COPY) {
                continue;
            }
            laterMails++;
            Row row = rows.get(m.messageId());
            String key = row == null || row.incident == null ? null : keys.get(row.incident);
            if (key == null) {
                continue;
            }
            List<String> comments = commentsByIssue.computeIfAbsent(key, this::commentTexts);
            String marker = "| **ID письма:** | " + row.id + " · ";
            if (comments.stream().filter(t -> t.contains(marker)).count() == 1) {
                commentedOnce++;
            }
        }
        results.add(result("one comment per later mail (reply, Sent copy)", laterMails, commentedOnce));

        JsonNode deliveries = world.sinkMessages();
        long answeredOnce = 0;
        for (Command command : commands) {
            long mails = 0;
            for (JsonNode d : deliveries) {
                if (d.path("recipient").asString().equalsIgnoreCase(command.requester())
                        && d.path("subject").asString().contains(command.issueKey() + ":")) {
                    mails++;
                }
            }
            answeredOnce += mails == 1 ? 1 : 0;
        }
        results.add(result("one auto-reply mail per command", commands.size(), answeredOnce));
        results.add(result("each commanded issue moved on to notified…", commands.size(), commandsDoneCount(commands)));
        long[] copies = copies(deliveries, rows);
        results.add(result("the mailbox's copy of each auto-reply is stored", copies[0], copies[1]));
        results.add(result("outbox: nothing pending or failed", 0, pendingDeliveries()));
        results.add(result("nothing quarantined, held or parked", 0, count("""
                select (select count(*) from mail_quarantine) + (select count(*) from mail_hold)
                     + (select count(*) from threading_failure)""")));
        return results;
    }

    /**
     * Every auto-reply's copy to the dispatch mailbox is stored. It reaches the service a little after the send that
     * moved the issue on (sink → Dovecot → intake), so settling waits for it too.
     */
    boolean copiesStored() throws SQLException {
        long[] copies = copies(world.sinkMessages(), rows());
        return copies[0] == copies[1];
    }

    /** The copies the sink received for the dispatch mailbox, and how many of them the service stored. */
    private static long[] copies(JsonNode deliveries, Map<String, Row> rows) {
        long copies = 0;
        long stored = 0;
        for (JsonNode d : deliveries) {
            if (d.path("recipient").asString().equalsIgnoreCase(World.MAILBOX)) {
                copies++;
                stored += rows.containsKey(strip(d.path("messageId").asString())) ? 1 : 0;
            }
        }
        return new long[] {copies, stored};
    }

    private List<String> commentTexts(String key) {
        List<String> texts = new ArrayList<>();
        for (JsonNode c : world.inspect("/tracker/issues/" + key + "/comments")) {
            texts.add(c.path("text").asString());
        }
        return texts;
    }

    long pendingDeliveries() throws SQLException {
        return count("select count(*) from outbox where status <> 'DONE'");
    }

    long count(String sql) throws SQLException {
        try (Connection c = world.db();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private Map<String, Row> rows() throws SQLException {
        Map<String, Row> rows = new HashMap<>();
        try (Connection c = world.db();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select message_id, id, incident_id from email_message")) {
            while (rs.next()) {
                long incident = rs.getLong(3);
                Long incidentOrNull = rs.wasNull() ? null : incident; // asked right after its column
                rows.put(strip(rs.getString(1)), new Row(rs.getLong(2), incidentOrNull));
            }
        }
        return rows;
    }

    static String strip(String messageId) {
        return messageId == null ? "" : messageId.replaceAll("^\\s*<|>\\s*$", "");
    }

    private static Result result(String check, long expected, long actual) {
        return new Result(check, String.valueOf(expected), String.valueOf(actual), expected == actual);
    }
}
