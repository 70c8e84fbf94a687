package dispatch.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Database time as PostgreSQL measures it: the durations it logs for the parse, bind and execute of every statement
 * ({@code log_min_duration_statement = 0}), read back from its csv log. Unlike a timer around each JDBC call, it leaves
 * out the round trips and the client's side of them: the driver, the JVM, and either process waiting for a core
 * between request and answer. Needs the embedded server started with its csv log ({@code EmbeddedDatabase.STATEMENT_LOG}).
 */
record StatementLog(JdbcTemplate jdbc, Path file, long start) {

    private static final Pattern DURATION = Pattern.compile("^duration: ([0-9.]+) ms");
    private static final int SESSION = 5;
    private static final int MESSAGE = 13;

    /** Starts logging every statement; empty when the server has no csv log. */
    static Optional<StatementLog> start(JdbcTemplate jdbc) throws IOException {
        String current = jdbc.queryForObject("select pg_current_logfile('csvlog')", String.class);
        if (current == null) return Optional.empty();
        Path file = Path.of(current);
        if (!file.isAbsolute()) {
            file = Path.of(jdbc.queryForObject("show data_directory", String.class))
                    .resolve(file);
        }
        long start = Files.size(file);
        jdbc.execute("alter system set log_min_duration_statement = 0");
        jdbc.execute("select pg_reload_conf()");
        return Optional.of(new StatementLog(jdbc, file, start));
    }

    /**
     * Stops logging and returns, in order, the server time of each transaction that began with a statement containing
     * {@code marker}: every logged duration of its session from that statement through its COMMIT or ROLLBACK.
     */
    List<Long> stop(String marker) throws IOException, InterruptedException {
        jdbc.execute("alter system reset log_min_duration_statement");
        jdbc.execute("select pg_reload_conf()");
        Thread.sleep(1_000); // the logging collector writes asynchronously
        List<Long> transactions = new ArrayList<>();
        Map<String, long[]> open = new HashMap<>();
        for (List<String> record : records()) {
            if (record.size() <= MESSAGE) continue;
            String message = record.get(MESSAGE);
            Matcher duration = DURATION.matcher(message);
            if (!duration.find()) continue;
            String session = record.get(SESSION);
            long nanos = Math.round(Double.parseDouble(duration.group(1)) * 1e6);
            long[] running = open.get(session);
            if (running == null && message.contains(marker)) {
                // {nanos so far, index}: the slot keeps the transactions in the order they began.
                transactions.add(null);
                running = new long[] {0, transactions.size() - 1};
                open.put(session, running);
            }
            if (running == null) continue;
            running[0] += nanos;
            String statement = message.substring(message.indexOf(':', duration.end()) + 1)
                    .strip()
                    .toUpperCase();
            if (statement.equals("COMMIT") || statement.equals("ROLLBACK")) {
                transactions.set((int) running[1], running[0]);
                open.remove(session);
            }
        }
        return transactions.stream().filter(Objects::nonNull).toList();
    }

    /** The csv records written since {@link #start}, quoted fields and line breaks in them included. */
    private List<List<String>> records() throws IOException {
        byte[] bytes;
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            in.seek(start);
            bytes = new byte[(int) (in.length() - start)];
            in.readFully(bytes);
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                record.add(field.toString());
                field.setLength(0);
                records.add(record);
                record = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        return records;
    }
}
