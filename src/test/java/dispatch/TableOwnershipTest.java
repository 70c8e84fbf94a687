package dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each table is written by exactly one feature (decision 0018): the SQL in a feature's Java code and in its migrations'
 * functions inserts into, updates, deletes from or truncates only the tables that feature owns. Other features call
 * the owner's facade or react to its events. A new table needs an owner here before its feature can write it.
 */
class TableOwnershipTest {

    /** The owning feature of every table the migrations create. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("shedlock", "platform"),
            Map.entry("sync_state", "platform"),
            Map.entry("outbox", "platform"),
            Map.entry("mail_folder", "mail"),
            Map.entry("email_message", "mail"),
            Map.entry("email_sighting", "mail"),
            Map.entry("email_reference", "mail"),
            Map.entry("email_recipient", "mail"),
            Map.entry("email_attachment", "mail"),
            Map.entry("mail_quarantine", "mail"),
            Map.entry("mail_inbound", "mail"),
            Map.entry("incident", "incident"),
            Map.entry("incident_type", "incident"),
            Map.entry("incident_status", "incident"),
            Map.entry("incident_status_history", "incident"),
            Map.entry("incident_event", "incident"),
            Map.entry("incident_sla_pause", "incident"),
            Map.entry("sla_alert", "sla"),
            Map.entry("dispatcher", "incident"),
            Map.entry("mail_hold", "incident"),
            Map.entry("threading_failure", "incident"),
            Map.entry("tracker_upload", "tracker"),
            Map.entry("tracker_comment", "tracker"),
            Map.entry("pole", "towerstore"),
            Map.entry("operator", "towerstore"),
            Map.entry("base_station", "towerstore"),
            Map.entry("base_station_operator", "towerstore"),
            Map.entry("contractor", "towerstore"),
            Map.entry("contractor_email", "towerstore"),
            Map.entry("contractor_phone", "towerstore"),
            Map.entry("alert", "alert"),
            Map.entry("alert_health_check", "alert"),
            Map.entry("alert_notice", "alert"),
            Map.entry("incident_report", "api"),
            Map.entry("incident_report_stale", "api"));

    /**
     * The one deliberate exception: {@code api} keeps its report rows current with triggers on the tables the report
     * shows (decision 0004), so a row changes in the same transaction as the data it shows and no writer has to know
     * that a report exists. The triggers write only api's own tables; they fire on these tables of other features.
     */
    static final Set<String> REPORT_TRIGGER_SOURCES = Set.of(
            "incident",
            "incident_type",
            "incident_status",
            "incident_status_history",
            "dispatcher",
            "pole",
            "operator",
            "base_station",
            "base_station_operator",
            "contractor",
            "contractor_email");

    /**
     * The second deliberate exception: the one-off {@code legacy-import} command copies the old service's rows with
     * their ids, one transaction per chunk, which no feature facade offers (docs/legacy-import.md "Ownership"). It
     * writes these tables and no others.
     */
    static final Set<String> LEGACY_IMPORT_WRITES = Set.of(
            "incident",
            "incident_status_history",
            "dispatcher",
            "mail_folder",
            "email_message",
            "email_recipient",
            "email_reference",
            "email_attachment");

    private static final Path MAIN = Path.of("src/main/java/dispatch");
    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern JAVA_COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);
    /** An insert, delete or truncate target, or (group 2) an update target followed by its alias and {@code set}. */
    private static final Pattern WRITE = Pattern.compile(
            "(?i)\\b(?:insert\\s+into|delete\\s+from|truncate(?:\\s+table)?)\\s+(?!on\\b|only\\b)([a-z_]\\w*)"
                    + "|\\bupdate\\s+([a-z_]\\w*)(?:\\s+(?:as\\s+)?[a-z_]\\w*)?\\s+set\\b");

    private static final Pattern TEMP_TABLE =
            Pattern.compile("(?i)create\\s+temp(?:orary)?\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("(?i)create\\s+(?:unlogged\\s+)?table\\s+(?:if\\s+not\\s+exists\\s+)?([a-z_][a-z0-9_]*)");
    private static final Pattern FUNCTION_BODY = Pattern.compile("(?is)\\$\\$(.*?)\\$\\$");
    /** A trigger's table; the report also creates triggers by calling a procedure with each table's name. */
    private static final Pattern TRIGGER_ON = Pattern.compile(
            "(?i)create\\s+trigger\\s+\\w+\\s+(?:before|after|instead\\s+of)\\s+[\\w\\s,]*?\\bon\\s+(\\w+)"
                    + "|call\\s+\\w+_watch_rows\\s*\\(\\s*'(\\w+)'");

    @Test
    void eachFeatureWritesOnlyTheTablesItOwns() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> features = Files.list(MAIN)) {
            for (Path feature : features.filter(Files::isDirectory).toList()) {
                String name = feature.getFileName().toString();
                for (Path file : javaFiles(feature)) {
                    String sql = withoutComments(read(file));
                    Set<String> temporary = matches(TEMP_TABLE, sql);
                    for (String table : matches(WRITE, sql)) {
                        boolean declared = name.equals("legacy") && LEGACY_IMPORT_WRITES.contains(table);
                        if (!temporary.contains(table) && !name.equals(OWNERS.get(table)) && !declared) {
                            violations.add(MAIN.relativize(file) + " writes " + table + " (owner: "
                                    + OWNERS.getOrDefault(table, "none declared") + ")");
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void migrationFunctionsWriteOnlyTheirFeaturesTables() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path migration : migrations()) {
            String feature = feature(migration);
            Matcher body = FUNCTION_BODY.matcher(read(migration));
            while (body.find()) {
                for (String table : matches(WRITE, stripSqlComments(body.group(1)))) {
                    if (!feature.equals(OWNERS.get(table))) {
                        violations.add(migration.getFileName() + " (" + feature + ") writes " + table);
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void onlyTheReportWatchesOtherFeaturesTablesWithTriggers() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> watchedByReport = new TreeSet<>();
        for (Path migration : migrations()) {
            String feature = feature(migration);
            for (String table : matches(TRIGGER_ON, stripSqlComments(read(migration)))) {
                if (feature.equals(OWNERS.get(table))) continue;
                if (feature.equals("api")) {
                    watchedByReport.add(table);
                } else {
                    violations.add(migration.getFileName() + " puts a trigger on " + table);
                }
            }
        }
        assertThat(violations).isEmpty();
        assertThat(watchedByReport).as("the declared exception").isEqualTo(REPORT_TRIGGER_SOURCES);
    }

    @Test
    void everyTableHasADeclaredOwner() throws IOException {
        Set<String> created = new TreeSet<>();
        for (Path migration : migrations()) {
            created.addAll(matches(CREATE_TABLE, stripSqlComments(read(migration))));
        }
        created.removeAll(OWNERS.keySet());
        assertThat(created)
                .as("tables without an owner in TableOwnershipTest.OWNERS")
                .isEmpty();
    }

    @Test
    void theScannerSeesTheWritesItIsMeantToCatch() {
        String sql = withoutComments("""
                jdbc.sql(\"""
                    with linked as (update email_message m set incident_id = 1 where id = 2)
                    insert into incident (code) values ('x')
                    \""");
                jdbc.sql("delete from outbox where id = :id");
                jdbc.sql("update incident i set version = 1");
                // update the comment, not SQL: insert into a feature's API
                """);

        assertThat(matches(WRITE, sql)).containsExactlyInAnyOrder("email_message", "incident", "outbox");
    }

    /** The feature a migration belongs to: {@code V20__incident_held_mail.sql} is incident's. */
    private static String feature(Path migration) {
        String name = migration.getFileName().toString();
        String rest = name.substring(name.indexOf("__") + 2);
        return rest.substring(0, rest.indexOf('_'));
    }

    private static String withoutComments(String java) {
        return JAVA_COMMENT.matcher(java).replaceAll(" ");
    }

    private static Set<String> matches(Pattern pattern, String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            String name = m.group(1) != null || m.groupCount() < 2 ? m.group(1) : m.group(2);
            found.add(name.toLowerCase(Locale.ROOT));
        }
        return found;
    }

    private static String stripSqlComments(String sql) {
        return sql.replaceAll("--[^\\n]*", "");
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    private static List<Path> migrations() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
