package dispatch.towerstore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;

/**
 * Reads a report (a JSON array of flat objects) token by token, so a 300,000-row file never sits in memory. A UTF-8
 * byte-order mark is skipped, unknown columns are ignored, blank cells are null, and bare {@code NaN} is accepted (it
 * is what pandas writes). An empty array fails the report. The first object decides which columns the report has: a listed column missing there fails
 * the whole report; a column missing from a later object is an empty cell.
 */
final class ReportReader {

    /** One object of the array; {@code values} follow the requested columns; {@code problem} makes it unusable. */
    record Row(
            int number, @Nullable String[] values, @Nullable String problem) {

        @Nullable
        String get(int column) {
            return values[column];
        }
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private ReportReader() {}

    /** Calls {@code sink} for each row in order and returns the number of rows. */
    static int read(Path file, List<String> columns, Consumer<Row> sink) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < columns.size(); i++) {
            index.put(columns.get(i), i);
        }
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), file)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ReportException("the report is not a JSON array");
            }
            int number = 0;
            boolean checked = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (t == null) {
                    throw new ReportException("the report ends before its closing ']' (truncated?)");
                }
                number++;
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    sink.accept(new Row(number, new String[columns.size()], "not a JSON object"));
                    continue;
                }
                boolean[] present = new boolean[columns.size()];
                Row row = object(p, number, columns, index, present);
                if (!checked) {
                    requireColumns(present, columns);
                    checked = true;
                }
                sink.accept(row);
            }
            if (number == 0) {
                // An empty report is a TowerStore glitch far more often than the end of all poles.
                throw new ReportException("the report has no rows; nothing is marked removed");
            }
            return number;
        } catch (JacksonException e) {
            throw new ReportException("invalid JSON: " + e.getOriginalMessage() + " at " + location(e), e);
        }
    }

    private static Row object(
            JsonParser p, int number, List<String> columns, Map<String, Integer> index, boolean[] present) {
        String[] values = new String[columns.size()];
        String problem = null;
        for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
            Integer i = index.get(p.currentName().strip());
            JsonToken value = p.nextToken();
            if (i != null) {
                present[i] = true;
            }
            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                p.skipChildren();
                if (i != null) {
                    problem = "«" + columns.get(i) + "» is not a plain value";
                }
            } else if (i != null) {
                String text = value == JsonToken.VALUE_NULL ? null : p.getText().strip();
                values[i] = text == null || text.isEmpty() ? null : text;
            }
        }
        return new Row(number, values, problem);
    }

    private static void requireColumns(boolean[] present, List<String> columns) {
        for (int i = 0; i < columns.size(); i++) {
            if (!present[i]) {
                throw new ReportException("required column «" + columns.get(i) + "» is missing");
            }
        }
    }

    private static String location(JacksonException e) {
        var l = e.getLocation();
        return l == null ? "an unknown position" : "line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
