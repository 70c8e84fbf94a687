package dispatch.mail;

import dispatch.mail.InboundStore.Held;
import dispatch.mail.InboundStore.Staged;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Staged rows in PostgreSQL's binary {@code COPY} format (header, one tuple per row, trailer), for the columns
 * {@code folder_id, uidvalidity, uid, internal_date, raw_sha256, spool, spool_offset, raw_size} of
 * {@code mail_inbound}: rows that name their bytes (a batch file or a raw copy), never hold them.
 */
final class InboundCopy {

    static final String COLUMNS =
            "(folder_id, uidvalidity, uid, internal_date, raw_sha256, spool, spool_offset, raw_size)";

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private InboundCopy() {}

    /** Writes the rows to {@code copy} (a COPY ... FROM STDIN WITH (FORMAT binary) stream) and closes it. */
    static void write(List<Staged> rows, OutputStream copy) throws IOException {
        try (DataOutputStream out = new DataOutputStream(copy)) {
            out.write(SIGNATURE);
            out.writeInt(0); // flags
            out.writeInt(0); // no header extension
            for (Staged r : rows) {
                out.writeShort(8);
                int64(out, r.folder().id());
                int64(out, r.folder().uidValidity());
                int64(out, r.uid());
                int64(out, ChronoUnit.MICROS.between(POSTGRES_EPOCH, r.internalDate()));
                if (r.bytes() instanceof Held.Spooled spooled) {
                    text(out, null);
                    text(out, spooled.file());
                    int64(out, spooled.offset());
                } else if (r.bytes() instanceof Held.RawCopy rawCopy) {
                    text(out, rawCopy.sha256());
                    text(out, null);
                    out.writeInt(-1);
                } else {
                    throw new IllegalArgumentException("rows are staged naming their bytes, not holding them");
                }
                int64(out, r.size());
            }
            out.writeShort(-1);
        }
    }

    private static void int64(DataOutputStream out, long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
        } else {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
    }
}
