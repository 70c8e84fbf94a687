package dispatch.towerstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Loads one downloaded report into the reference tables; runs inside that report's one transaction. */
interface ReportLoader {

    /** Name used in logs, metrics and events: {@code poles}, {@code contractors}, {@code base_stations}. */
    String report();

    Counts load(Path file, Connection connection, JdbcClient jdbc, Skips skips);

    record Counts(int added, int updated, int removed) {}

    /** Null when the value fits, else the reason the row is skipped. */
    static @Nullable String tooLong(ReportReader.Row row, List<String> columns, int[] limits) {
        for (int i = 0; i < limits.length; i++) {
            String v = row.get(i);
            if (v != null && v.length() > limits[i]) {
                return "«" + columns.get(i) + "» is longer than " + limits[i] + " characters";
            }
        }
        return null;
    }
}
