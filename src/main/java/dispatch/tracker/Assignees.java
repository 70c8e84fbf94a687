package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.IncidentEventKind;
import dispatch.incident.Incidents;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The issue's assignee is the incident's dispatcher: Tracker wins, also when both are set and differ. An
 * assignee who is not a configured dispatcher is recorded as an event (once per login) and changes nothing.
 */
@Component
class Assignees {

    static final IncidentEventKind NOT_A_DISPATCHER = IncidentEventKind.ASSIGNEE_NOT_A_DISPATCHER;

    private final Incidents incidents;
    private final JsonMapper json;

    Assignees(Incidents incidents, JsonMapper json) {
        this.incidents = incidents;
        this.json = json;
    }

    /** True when the incident changed. {@code loginsByUid}: Tracker's users. */
    boolean apply(TrackerIssue issue, Incident incident, Map<String, String> loginsByUid) {
        String uid = issue.assigneeUid();
        if (uid == null) {
            return incident.dispatcherLogin() != null
                    && incidents.assign(incident.id(), null) == Incidents.Assignment.CHANGED;
        }
        String login = loginsByUid.get(uid);
        if (login != null && login.equals(incident.dispatcherLogin())) return false;
        Incidents.Assignment result =
                login == null ? Incidents.Assignment.NOT_A_DISPATCHER : incidents.assign(incident.id(), login);
        if (result != Incidents.Assignment.NOT_A_DISPATCHER) return result == Incidents.Assignment.CHANGED;
        String who = login != null ? login : "uid " + uid;
        if (Objects.equals(lastRecorded(incident.id()), who)) return false;
        Map<String, String> detail = new LinkedHashMap<>();
        detail.put("assignee", who);
        detail.put("trackerKey", issue.key());
        incidents.recordEvent(incident.id(), NOT_A_DISPATCHER, detail);
        return true;
    }

    private @Nullable String lastRecorded(long incidentId) {
        return incidents
                .latestEvent(incidentId, NOT_A_DISPATCHER)
                .map(detail -> json.readTree(detail).path("assignee").asString(null))
                .orElse(null);
    }
}
