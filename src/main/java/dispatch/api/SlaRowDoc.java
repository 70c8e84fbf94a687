package dispatch.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The SLA statistics fields as the OpenAPI description shows them (documentation only: {@link SlaRow#render} writes
 * the bodies; a test keeps the two in step).
 */
@Schema(name = "SlaGroup", description = "SLA statistics of one group, or the total")
record SlaRowDoc(
        @JsonProperty("group")
        @Schema(
                nullable = true,
                description = "The type, region, contractor or dispatcher login; null for incidents without one, and"
                        + " on the total",
                example = "Авария по питанию РФ")
        String group,

        @JsonProperty("total") @Schema(description = "True on the last row, over all groups")
        boolean total,

        @JsonProperty("incidents") @Schema(description = "Incidents whose SLA started in the period", example = "120")
        long incidents,

        @JsonProperty("finished") @Schema(description = "Of those, finished (now)", example = "110")
        long finished,

        @JsonProperty("open") @Schema(description = "Of those, not finished", example = "10")
        long open,

        @JsonProperty("met") @Schema(description = "Finished by the SLA deadline", example = "95")
        long met,

        @JsonProperty("breached")
        @Schema(description = "Finished after the deadline, or open and past it", example = "18")
        long breached,

        @JsonProperty("without_sla") @Schema(description = "No type, or a type without an SLA", example = "3")
        long withoutSla,

        @JsonProperty("median_minutes_to_finish")
        @Schema(
                nullable = true,
                description = "Median of SLA start to finish over the finished incidents, minutes (one decimal)",
                example = "245.5")
        Double medianMinutesToFinish,

        @JsonProperty("p90_minutes_to_finish")
        @Schema(nullable = true, description = "90th percentile of the same", example = "720.0")
        Double p90MinutesToFinish,

        @JsonProperty("handed_over") @Schema(description = "Handed over to the contractor", example = "70")
        long handedOver,

        @JsonProperty("contractor_met")
        @Schema(
                description = "Contractor finished by its deadline (is_vendor_sla_expired false, finished)",
                example = "60")
        long contractorMet,

        @JsonProperty("contractor_breached")
        @Schema(
                description = "Contractor late: finished after its deadline, or not yet and past it"
                        + " (is_vendor_sla_expired true)",
                example = "8")
        long contractorBreached) {

    static final String DESCRIPTION = """
            Counts incidents by the day their SLA started (`incident_at`, the first mail's time) in the service's time \
            zone (`DISPATCH_TIMEZONE`): `from` inclusive, `to` exclusive, whole days (`YYYY-MM-DD`). Without `to`: up \
            to tomorrow, so today counts; without `from`: one month before `to`. At most 20 years, days between \
            2000-01-01 and 2100-01-01.

            An incident is **met** when it finished by the SLA deadline in effect, **breached** when it finished \
            after it or is still open and past it; an open incident before its deadline, or with its SLA clock \
            paused, is neither, and one without an SLA (no type) is counted in `without_sla` only. Time to finish (SLA start to finish, minutes) is over \
            finished incidents only. The contractor's SLA counts the incidents handed over: met when the contractor \
            finished by the hand-over plus the type's SLA, breached when it finished later or has not yet and that \
            deadline passed (the incidents report's `is_vendor_sla_expired`).

            Rows: one per group in name order, the group without a name (`null`) last, then the total \
            (`total: true`). `Accept: text/csv` or `format=csv` answers CSV for Excel (UTF-8 with BOM).""";

    static final String EXAMPLE = """
            [{"group":"Авария по питанию РФ","total":false,"incidents":120,"finished":110,"open":10,"met":95,\
            "breached":18,"without_sla":0,"median_minutes_to_finish":245.5,"p90_minutes_to_finish":720.0,\
            "handed_over":70,"contractor_met":60,"contractor_breached":8},\
            {"group":null,"total":true,"incidents":123,"finished":113,"open":10,"met":95,"breached":18,\
            "without_sla":3,"median_minutes_to_finish":240.0,"p90_minutes_to_finish":700.0,"handed_over":71,\
            "contractor_met":60,"contractor_breached":8}]""";

    static final String EXAMPLE_BAD_PARAMETER = """
            {"type":"urn:dispatch:problem:bad-parameter","title":"Bad request parameter","status":400,\
            "detail":"group_by must be type, region, contractor or dispatcher","instance":"/api/v1/reports/sla",\
            "parameter":"group_by"}""";
}
