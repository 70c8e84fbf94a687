package dispatch.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * CSV for Excel: UTF-8 with a byte order mark (without it Excel reads Cyrillic as cp1251), a header row, CRLF line
 * ends, RFC 4180 quoting. Text that Excel would run as a formula ({@code =}, {@code +}, {@code -}, {@code @} first)
 * gets a leading apostrophe; numbers stay numbers.
 */
final class CsvReportWriter implements ReportWriter {

    private final Writer out;
    private final char separator;
    private final List<String> header;
    private boolean firstField;

    /** For incidents: the header is {@link ReportRow#FIELD_NAMES}. */
    CsvReportWriter(OutputStream out, char separator) {
        this(out, separator, ReportRow.FIELD_NAMES);
    }

    CsvReportWriter(OutputStream out, char separator, List<String> header) {
        this.out = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 16 * 1024);
        this.separator = separator;
        this.header = header;
    }

    @Override
    public void begin() throws IOException {
        out.write('\uFEFF');
        beginRow();
        for (String name : header) {
            field(name, name);
        }
        endRow();
    }

    @Override
    public void beginRow() {
        firstField = true;
    }

    @Override
    public void field(String name, @Nullable Object value) throws IOException {
        if (!firstField) out.write(separator);
        firstField = false;
        if (value == null) return;
        if (value instanceof String s) {
            out.write(quote(defuse(s)));
        } else {
            out.write(value.toString());
        }
    }

    @Override
    public void endRow() throws IOException {
        out.write("\r\n");
    }

    @Override
    public void end() throws IOException {
        out.flush();
    }

    private String quote(String s) {
        boolean needs =
                s.indexOf(separator) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0;
        return needs ? '"' + s.replace("\"", "\"\"") + '"' : s;
    }

    private static String defuse(String s) {
        if (s.isEmpty()) return s;
        char c = s.charAt(0);
        return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ? "'" + s : s;
    }
}
