package dispatch.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The report fields as the OpenAPI description shows them (documentation only: {@link ReportRow#render} writes the
 * bodies; a test keeps the two in step).
 */
@Schema(name = "Incident", description = "One incident in a report")
record IncidentDoc(
        @JsonProperty("id") @Schema(description = "Database id", example = "1042")
        long id,

        @JsonProperty("code")
        @Schema(description = "Tracker key when the incident has one, else the incident code", example = "DISPATCH-17")
        String code,

        @JsonProperty("incident_datetime")
        @Schema(description = "SLA start: the first mail's date", example = "2026-11-20T10:00:00+03:00")
        String incidentDatetime,

        @JsonProperty("incident_type") @Schema(nullable = true, example = "Авария по питанию РФ")
        String incidentType,

        @JsonProperty("is_vendor_sla_expired")
        @Schema(
                nullable = true,
                description = "Contractor late: first closing status after the hand-over (or now) past"
                        + " the hand-over plus the type's SLA; null when never handed over or no SLA")
        Boolean isVendorSlaExpired,

        @JsonProperty("vendor_deadline") @Schema(nullable = true, example = "2026-11-21T11:00:00+03:00")
        String vendorDeadline,

        @JsonProperty("is_incident_finish") boolean isIncidentFinish,

        @JsonProperty("incident_finish_datetime") @Schema(nullable = true, example = "2026-11-20T18:30:00+03:00")
        String incidentFinishDatetime,

        @JsonProperty("last_status") @Schema(nullable = true, example = "Закрыт")
        String lastStatus,

        @JsonProperty("is_transfer_to_avr")
        @Schema(nullable = true, description = "Handed over to the contractor; null without status history")
        Boolean isTransferToAvr,

        @JsonProperty("transfer_timestamp_to_avr") @Schema(nullable = true, example = "2026-11-20T11:00:00+03:00")
        String transferTimestampToAvr,

        @JsonProperty("base_station") @Schema(nullable = true, example = "MSK-50123")
        String baseStation,

        @JsonProperty("operator_group")
        @Schema(nullable = true, description = "Distinct groups, sorted, joined with ', '", example = "ПАО МТС")
        String operatorGroup,

        @JsonProperty("operators")
        @Schema(nullable = true, description = "Distinct names, sorted, joined with ', '", example = "МТС")
        String operators,

        @JsonProperty("pole") @Schema(nullable = true, example = "50123-01")
        String pole,

        @JsonProperty("region_ru") @Schema(nullable = true, example = "Московская область")
        String regionRu,

        @JsonProperty("address") @Schema(nullable = true, example = "д. Ивановка, ул. Полевая, 1")
        String address,

        @JsonProperty("pole_latitude") @Schema(nullable = true, example = "55.7558")
        Double poleLatitude,

        @JsonProperty("pole_longtitude")
        @Schema(nullable = true, description = "Old misspelt name of pole_longitude", example = "37.6173")
        Double poleLongtitude,

        @JsonProperty("vendor") @Schema(nullable = true, example = "ООО АВР-Сервис")
        String vendor,

        @JsonProperty("vendor_emails")
        @Schema(nullable = true, description = "Sorted, joined with ', '", example = "avr@example.test")
        String vendorEmails,

        @JsonProperty("registration_method")
        @Schema(allowableValues = {"Автоматически из почты", "Вручную через диспетчера"})
        String registrationMethod,

        @JsonProperty("pole_longitude") @Schema(nullable = true, example = "37.6173")
        Double poleLongitude,

        @JsonProperty("tracker_key") @Schema(nullable = true, example = "DISPATCH-17")
        String trackerKey,

        @JsonProperty("incident_code") @Schema(description = "Dispatch's own code", example = "INC-1042")
        String incidentCode,

        @JsonProperty("sla_deadline") @Schema(nullable = true, example = "2026-11-21T10:00:00+03:00")
        String slaDeadline,

        @JsonProperty("sla_status")
        @Schema(
                allowableValues = {
                    "⬜️ Неизвестно",
                    "🟦 В работе",
                    "🟨 Осталось менее часа",
                    "🟥 Просрочен",
                    "🟩 Закрыт вовремя"
                })
        String slaStatus,

        @JsonProperty("dispatcher") @Schema(nullable = true, description = "Tracker login", example = "petrov")
        String dispatcher) {

    static final String EXAMPLE_LIST = """
            [{"id":1042,"code":"DISPATCH-17","incident_datetime":"2026-11-20T10:00:00+03:00",\
            "incident_type":"Авария по питанию РФ","is_vendor_sla_expired":false,\
            "vendor_deadline":"2026-11-21T11:00:00+03:00","is_incident_finish":true,\
            "incident_finish_datetime":"2026-11-20T18:30:00+03:00","last_status":"Закрыт",\
            "is_transfer_to_avr":true,"transfer_timestamp_to_avr":"2026-11-20T11:00:00+03:00",\
            "base_station":"MSK-50123","operator_group":"ПАО МТС","operators":"МТС","pole":"50123-01",\
            "region_ru":"Московская область","address":"д. Ивановка, ул. Полевая, 1","pole_latitude":55.7558,\
            "pole_longtitude":37.6173,"vendor":"ООО АВР-Сервис","vendor_emails":"avr@example.test",\
            "registration_method":"Автоматически из почты","pole_longitude":37.6173,"tracker_key":"DISPATCH-17",\
            "incident_code":"INC-1042","sla_deadline":"2026-11-21T10:00:00+03:00",\
            "sla_status":"🟩 Закрыт вовремя","dispatcher":"petrov"}]""";

    static final String EXAMPLE_BAD_PARAMETER = """
            {"type":"urn:dispatch:problem:bad-parameter","title":"Bad request parameter","status":400,\
            "detail":"last_month must be true or false","instance":"/api/v1/incidents","parameter":"last_month"}""";
}
