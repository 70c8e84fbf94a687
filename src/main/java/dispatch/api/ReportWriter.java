package dispatch.api;

import java.io.IOException;

/** Writes report rows to a response body as they come: JSON or CSV. */
interface ReportWriter extends ReportRow.FieldSink {

    /** Before the first row (an array opens, a CSV header is written). */
    void begin() throws IOException;

    void beginRow() throws IOException;

    void endRow() throws IOException;

    /** After the last row; flushes, leaves the stream open. */
    void end() throws IOException;
}
