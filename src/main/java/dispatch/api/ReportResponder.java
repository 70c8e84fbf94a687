package dispatch.api;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;

/**
 * One report answer: once the summary of the matched rows is known, the ETag and the headers (or 304 when the client's
 * copy is current), then the rows as they arrive, as JSON or CSV.
 */
final class ReportResponder implements IncidentReports.Consumer {

    /** Bump when the body format changes, so clients' cached copies are not answered with 304 after an upgrade. */
    private static final String FORMAT_VERSION = "1";

    /** Fewer, larger writes to the socket than the container's default 8 KB for bodies of megabytes. */
    private static final int BUFFER_SIZE = 64 * 1024;

    private final ReportQuery query;
    private final Instant now;
    private final ZoneId zone;
    private final @Nullable String ifNoneMatch;
    private final HttpServletResponse response;
    private @Nullable ReportWriter writer;

    ReportResponder(
            ReportQuery query, Instant now, ZoneId zone, @Nullable String ifNoneMatch, HttpServletResponse response) {
        this.query = query;
        this.now = now;
        this.zone = zone;
        this.ifNoneMatch = ifNoneMatch;
        this.response = response;
    }

    @Override
    public boolean start(IncidentReports.Summary summary) throws IOException {
        if (query.id() != null && summary.total() == 0) throw new IncidentReportController.IncidentNotFound(query.id());
        String etag = etag(summary);
        response.setHeader(HttpHeaders.ETAG, etag);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        response.setHeader(HttpHeaders.VARY, "Accept, Authorization");
        response.setHeader("X-Total-Count", Long.toString(summary.total()));
        if (matches(ifNoneMatch, etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return false;
        }
        writer = open();
        writer.begin();
        return true;
    }

    @Override
    public void row(ReportRow row) throws IOException {
        ReportWriter w = Objects.requireNonNull(writer);
        w.beginRow();
        row.render(now, zone, w);
        w.endRow();
    }

    void end() throws IOException {
        if (writer != null) writer.end();
    }

    private ReportWriter open() throws IOException {
        response.setBufferSize(BUFFER_SIZE);
        if (query.format().csv()) {
            response.setContentType("text/csv;header=present;charset=UTF-8");
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"incidents.csv\"");
            return new CsvReportWriter(
                    response.getOutputStream(), query.format().separator());
        }
        response.setContentType("application/json");
        return new JsonReportWriter(response.getOutputStream(), query.id() != null);
    }

    private String etag(IncidentReports.Summary summary) {
        String basis = String.join(
                "|",
                FORMAT_VERSION,
                zone.getId(),
                query.shape(),
                Long.toString(summary.total()),
                summary.fingerprint(),
                Long.toString(summary.phase()));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(basis.getBytes(StandardCharsets.UTF_8));
            return "W/\"" + HexFormat.of().formatHex(hash, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Weak comparison (RFC 9110 §13.1.2): a list of tags or {@code *}. */
    static boolean matches(@Nullable String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) return false;
        String opaque = etag.substring(2);
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.strip();
            if (c.equals("*")) return true;
            if (c.startsWith("W/")) c = c.substring(2);
            if (c.equals(opaque)) return true;
        }
        return false;
    }
}
