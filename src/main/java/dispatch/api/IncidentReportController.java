package dispatch.api;

import dispatch.platform.DispatchProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/incidents} for reports (README, "Reports API"): every matched incident streamed as JSON or CSV, with an
 * ETag, optional paging and the same filters as the old service.
 */
@RestController
@Tag(name = "reports", description = "Incidents for reports (read token)")
@SecurityRequirement(name = ApiDocs.BEARER)
class IncidentReportController {

    private static final URI BAD_PARAMETER = URI.create("urn:dispatch:problem:bad-parameter");

    private final IncidentReports reports;
    private final Clock clock;
    private final ZoneId zone;

    IncidentReportController(IncidentReports reports, Clock clock, DispatchProperties platform) {
        this.reports = reports;
        this.clock = clock;
        this.zone = platform.timeZone();
    }

    @GetMapping({"/api/v1/incidents", "/api/v1/incidents/"})
    @Operation(
            summary = "Incidents with every report field",
            description =
                    "Newest first (incident date, then id). Unpaged unless `limit` is given; the body is streamed."
                            + " Times are ISO-8601 in the service's zone (default Europe/Moscow, `+03:00`), without fractions."
                            + " `Accept: text/csv` or `format=csv` answers CSV for Excel (UTF-8 with BOM).")
    @ApiResponse(
            responseCode = "200",
            description = "The matched incidents",
            headers = {
                @Header(name = "ETag", description = "Weak validator; send it back in If-None-Match"),
                @Header(name = "X-Total-Count", description = "Number of matched incidents (before limit/offset)")
            },
            content = {
                @Content(
                        mediaType = "application/json",
                        array = @ArraySchema(schema = @Schema(implementation = IncidentDoc.class)),
                        examples = @ExampleObject(name = "one incident", value = IncidentDoc.EXAMPLE_LIST)),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
            })
    @ApiResponse(responseCode = "304", description = "Not modified (If-None-Match matched the ETag)")
    @ApiResponse(
            responseCode = "400",
            description = "A parameter has a value the API does not accept",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            examples = @ExampleObject(value = IncidentDoc.EXAMPLE_BAD_PARAMETER)))
    @ApiResponse(responseCode = "401", description = "No or unknown token")
    @ApiResponse(responseCode = "429", description = "Per-token rate limit reached; see Retry-After")
    void list(
            @Parameter(
                            description = "From the 1st of the previous month, 00:00 local time, until now",
                            example = "true")
                    @RequestParam(name = "last_month", required = false)
                    @Nullable
                    String lastMonth,
            @Parameter(description = "Incident date on or after this day (local time)", example = "2026-11-01")
                    @RequestParam(name = "incident_date_after", required = false)
                    @Nullable
                    String after,
            @Parameter(description = "Incident date on or before this day (local time)", example = "2026-11-30")
                    @RequestParam(name = "incident_date_before", required = false)
                    @Nullable
                    String before,
            @Parameter(
                            description = "Changed (or given a status) at or after this moment: ISO-8601 date-time"
                                    + " (without offset: local time) or a date",
                            example = "2026-11-28T09:00:00+03:00")
                    @RequestParam(name = "updated_since", required = false)
                    @Nullable
                    String updatedSince,
            @Parameter(description = "Only finished (true) or open (false) incidents", example = "false")
                    @RequestParam(name = "is_incident_finish", required = false)
                    @Nullable
                    String finished,
            @Parameter(description = "Tracker key or incident code, any case", example = "DISPATCH-17")
                    @RequestParam(name = "code", required = false)
                    @Nullable
                    String code,
            @Parameter(
                            description = "Page size, 1.." + ReportQuery.MAX_LIMIT + " (default: everything)",
                            example = "500")
                    @RequestParam(name = "limit", required = false)
                    @Nullable
                    String limit,
            @Parameter(description = "Rows to skip (with limit)", example = "0")
                    @RequestParam(name = "offset", required = false)
                    @Nullable
                    String offset,
            @Parameter(description = "json (default) or csv", example = "csv")
                    @RequestParam(name = "format", required = false)
                    @Nullable
                    String format,
            @Parameter(description = "CSV separator: comma (default) or semicolon (`;`, for Excel in Russian locale)")
                    @RequestParam(name = "separator", required = false)
                    @Nullable
                    String separator,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable
                    String accept,
            @Parameter(in = ParameterIn.HEADER, name = HttpHeaders.IF_NONE_MATCH, description = "ETag of a copy")
                    @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false)
                    @Nullable
                    String ifNoneMatch,
            HttpServletResponse response)
            throws IOException {
        var raw = new ReportQuery.Raw(
                lastMonth, after, before, updatedSince, finished, code, limit, offset, format, separator, accept);
        respond(raw, null, ifNoneMatch, response);
    }

    @GetMapping({"/api/v1/incidents/{id}", "/api/v1/incidents/{id}/"})
    @Operation(
            summary = "One incident with every report field",
            description = "The filters of the list apply too (an incident outside them is not found).")
    @ApiResponse(
            responseCode = "200",
            description = "The incident",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = IncidentDoc.class)))
    @ApiResponse(responseCode = "404", description = "No such incident (or outside the filters)")
    void one(
            @PathVariable String id,
            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.IF_NONE_MATCH, required = false) @Nullable
                    String ifNoneMatch,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        long incidentId;
        try {
            incidentId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new ReportQuery.BadParameter("id", "id must be a whole number (the incident's database id)");
        }
        var raw = new ReportQuery.Raw(
                request.getParameter("last_month"),
                request.getParameter("incident_date_after"),
                request.getParameter("incident_date_before"),
                request.getParameter("updated_since"),
                request.getParameter("is_incident_finish"),
                request.getParameter("code"),
                null,
                null,
                request.getParameter("format"),
                request.getParameter("separator"),
                request.getHeader(HttpHeaders.ACCEPT));
        respond(raw, incidentId, ifNoneMatch, response);
    }

    private void respond(
            ReportQuery.Raw raw, @Nullable Long id, @Nullable String ifNoneMatch, HttpServletResponse response)
            throws IOException {
        Instant now = ReportQuery.truncate(clock.instant());
        ReportQuery query = ReportQuery.parse(raw, id, now, zone);
        ReportResponder responder = new ReportResponder(query, now, zone, ifNoneMatch, response);
        reports.stream(query, now, responder);
        responder.end();
    }

    static final class IncidentNotFound extends RuntimeException {
        IncidentNotFound(long id) {
            super("Incident " + id + " not found (or outside the filters)");
        }
    }

    @ExceptionHandler(ReportQuery.BadParameter.class)
    ProblemDetail badParameter(ReportQuery.BadParameter e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setType(BAD_PARAMETER);
        problem.setTitle("Bad request parameter");
        problem.setProperty("parameter", e.parameter());
        return problem;
    }

    @ExceptionHandler(IncidentNotFound.class)
    ProblemDetail notFound(IncidentNotFound e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
