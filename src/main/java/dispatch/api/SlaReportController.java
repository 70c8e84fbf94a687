package dispatch.api;

import dispatch.platform.DispatchProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
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
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/reports/sla}: SLA statistics per incident type, region, contractor or dispatcher (README, "SLA
 * statistics"; decision 0028), as JSON or CSV like the incidents report.
 */
@RestController
@Tag(name = "reports")
@SecurityRequirement(name = ApiDocs.BEARER)
class SlaReportController {

    private final SlaReports reports;
    private final Clock clock;
    private final ZoneId zone;

    SlaReportController(SlaReports reports, Clock clock, DispatchProperties platform) {
        this.reports = reports;
        this.clock = clock;
        this.zone = platform.timeZone();
    }

    @GetMapping("/api/v1/reports/sla")
    @Operation(summary = "SLA statistics per group", description = SlaRowDoc.DESCRIPTION)
    @Parameter(
            in = ParameterIn.QUERY,
            name = "from",
            description = "First day, inclusive (default: one month before `to`)",
            example = "2026-11-01")
    @Parameter(
            in = ParameterIn.QUERY,
            name = "to",
            description = "Day after the last, exclusive (default: tomorrow)",
            example = "2026-12-01")
    @Parameter(
            in = ParameterIn.QUERY,
            name = "group_by",
            description = "What a row is: incident type (default), the pole's region, the pole's contractor, the"
                    + " dispatcher",
            schema = @Schema(allowableValues = {"type", "region", "contractor", "dispatcher"}))
    @Parameter(
            in = ParameterIn.QUERY,
            name = "format",
            description = "json (default) or csv (also with `Accept: text/csv`)",
            example = "csv")
    @Parameter(
            in = ParameterIn.QUERY,
            name = "separator",
            description = "CSV separator: comma (default) or semicolon (`;`)")
    @ApiResponse(
            responseCode = "200",
            description = "One row per group, in name order (incidents without one last), then the total",
            content = {
                @Content(
                        mediaType = "application/json",
                        array = @ArraySchema(schema = @Schema(implementation = SlaRowDoc.class)),
                        examples = @ExampleObject(name = "by type", value = SlaRowDoc.EXAMPLE)),
                @Content(mediaType = "text/csv", schema = @Schema(type = "string"))
            })
    @ApiResponse(
            responseCode = "400",
            description = "A bad date, from not before to, a period over 20 years, an unknown group_by or parameter,"
                    + " a parameter given twice",
            content =
                    @Content(
                            mediaType = "application/problem+json",
                            examples = @ExampleObject(value = SlaRowDoc.EXAMPLE_BAD_PARAMETER)))
    @ApiResponse(responseCode = "401", description = "No or unknown token")
    @ApiResponse(responseCode = "403", description = "A token that may not read reports (the metrics token)")
    @ApiResponse(responseCode = "429", description = "Per-token rate limit reached; see Retry-After")
    void statistics(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Instant now = clock.instant();
        SlaReportQuery query =
                SlaReportQuery.parse(request.getParameterMap(), request.getHeader(HttpHeaders.ACCEPT), now, zone);
        var rows = reports.statistics(query, now);
        response.setHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache");
        response.setHeader(HttpHeaders.VARY, "Accept, Authorization");
        ReportWriter writer;
        if (query.format().csv()) {
            response.setContentType("text/csv;header=present;charset=UTF-8");
            response.setHeader(
                    HttpHeaders.CONTENT_DISPOSITION,
                    "attachment; filename=\"sla-" + query.groupBy().parameterValue() + "-" + query.from() + "-"
                            + query.to() + ".csv\"");
            writer = new CsvReportWriter(
                    response.getOutputStream(), query.format().separator(), SlaRow.FIELD_NAMES);
        } else {
            response.setContentType("application/json");
            writer = new JsonReportWriter(response.getOutputStream(), false);
        }
        writer.begin();
        for (SlaRow row : rows) {
            writer.beginRow();
            row.render(writer);
            writer.endRow();
        }
        writer.end();
    }

    @ExceptionHandler(ReportQuery.BadParameter.class)
    ProblemDetail badParameter(ReportQuery.BadParameter e) {
        return e.problem();
    }
}
