package dispatch.towerstore;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Streams rows into a (staging) table with PostgreSQL {@code COPY ... FROM STDIN} in text format: one round trip
 * for a whole report instead of one insert per row, and constant memory.
 */
final class CopyRows implements AutoCloseable {

    private final PGCopyOutputStream stream;
    private final Writer out;
    private long rows;

    private CopyRows(PGCopyOutputStream stream) {
        this.stream = stream;
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    /** {@code table} and {@code columns} are ours (constants), never input. */
    static CopyRows into(Connection connection, String table, String columns) {
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            return new CopyRows(new PGCopyOutputStream(
                    pg, "copy " + table + " (" + columns + ") from stdin with (format text)", 1 << 16));
        } catch (SQLException e) {
            throw new IllegalStateException("COPY into " + table + " failed to start", e);
        }
    }

    void row(@Nullable Object... values) {
        try {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    out.write('\t');
                }
                write(values[i]);
            }
            out.write('\n');
            rows++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long rows() {
        return rows;
    }

    private void write(@Nullable Object value) throws IOException {
        if (value == null) {
            out.write("\\N");
            return;
        }
        String s = value.toString();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.write("\\\\");
                case '\t' -> out.write("\\t");
                case '\n' -> out.write("\\n");
                case '\r' -> out.write("\\r");
                default -> out.write(c);
            }
        }
    }

    @Override
    public void close() {
        try {
            out.close(); // ends the COPY
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
