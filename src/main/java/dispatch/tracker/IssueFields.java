package dispatch.tracker;

import dispatch.incident.Incident;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Maps an incident onto the issue's custom fields (keys from {@link TrackerProperties.Fields}). */
@Component
class IssueFields {

    /** How Tracker itself writes datetimes; it accepts any ISO-8601 offset form. */
    static final DateTimeFormatter TRACKER_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    static final String NEW_MESSAGE = "✔️ Да";
    static final String NO_NEW_MESSAGE = "✖️ Нет";

    private final TrackerProperties.Fields fields;

    IssueFields(TrackerProperties settings) {
        this.fields = settings.fields();
    }

    TrackerProperties.Fields keys() {
        return fields;
    }

    /**
     * The fields the database is the truth for (docs/domain.md, "Tracker workflow"): type, SLA deadline and status, incident
     * date, pole, base station, contractor and operators.
     *
     * @param typeFieldId the full API key of the queue-local type field
     */
    Map<String, @Nullable Object> truth(Incident incident, String typeFieldId, Instant now) {
        Map<String, @Nullable Object> values = new LinkedHashMap<>();
        values.put(typeFieldId, incident.typeName());
        values.put(
                fields.slaDeadline(),
                incident.slaDeadline().map(TRACKER_TIME::format).orElse(null));
        values.put(fields.slaStatus(), incident.slaStatus(now).text());
        values.put(fields.emailDatetime(), TRACKER_TIME.format(incident.incidentAt()));
        values.put(fields.pole(), incident.poleCode());
        values.put(fields.baseStation(), incident.baseStationName());
        values.put(fields.contractorName(), incident.contractor());
        values.put(fields.operatorName(), incident.operators());
        return values;
    }
}
