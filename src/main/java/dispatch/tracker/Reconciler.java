package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.IncidentStatus;
import dispatch.incident.Incidents;
import dispatch.platform.DispatchProperties;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reconciles one issue with its incident (docs/domain.md, "Tracker workflow"; decision 0005): what dispatchers decide in
 * Tracker (status, assignee, type, pole, base station) goes into the database after validation; what the database
 * is the truth for goes back into the issue, only the fields that differ. Database changes are one transaction;
 * Tracker calls are made outside it.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class Reconciler {

    enum Result {
        UNCHANGED,
        UPDATED,
        CREATED,
        ERROR,
        SKIPPED
    }

    /**
     * What one cycle needs to know once: the type field's API key, the type names, Tracker logins by uid, and when
     * this installation first pulled (open issues created before it are adopted, decision 0021).
     */
    record Cycle(
            String typeFieldId,
            List<String> typeNames,
            Map<String, String> loginsByUid,
            Instant now,
            Instant firstPull) {}

    /** @param echo the issue's {@code updatedAt} after our own PATCH, if we made one */
    record Outcome(Result result, @Nullable Instant echo) {}

    /** What validation decided, before anything is changed. */
    private record Decision(
            @Nullable String typeName,
            @Nullable String typeError,
            LocationCheck.Outcome location,
            @Nullable String commandError) {

        @Nullable
        String error() {
            return typeError != null ? typeError : location.error() != null ? location.error() : commandError;
        }
    }

    private final TrackerClient client;
    private final IssueFields issueFields;
    private final Incidents incidents;
    private final LocationCheck locations;
    private final StatusRules statuses;
    private final Assignees assignees;
    private final TrackerProperties settings;
    private final TransactionTemplate transaction;
    private final String installationId;

    Reconciler(
            TrackerClient client,
            IssueFields issueFields,
            Incidents incidents,
            LocationCheck locations,
            StatusRules statuses,
            Assignees assignees,
            TrackerProperties settings,
            PlatformTransactionManager transactions,
            DispatchProperties platform) {
        this.client = client;
        this.issueFields = issueFields;
        this.incidents = incidents;
        this.locations = locations;
        this.statuses = statuses;
        this.assignees = assignees;
        this.settings = settings;
        this.transaction = new TransactionTemplate(transactions);
        this.installationId = platform.installationId();
    }

    Outcome reconcile(TrackerIssue issue, Cycle cycle) {
        String databaseId = issue.text(settings.fields().databaseId());
        Optional<Incident> found = incidentOf(issue, databaseId);
        boolean adopted = false;
        if (found.isEmpty()) {
            if (closed(issue)) return new Outcome(Result.SKIPPED, null);
            if (!issue.createdAt().isBefore(cycle.firstPull())) return unknownDatabaseId(issue);
            found = incidents.byId(adopt(issue, databaseId));
            adopted = true;
        }
        Incident incident = found.get();
        Decision decision = decide(issue, incident, cycle);
        boolean changed = Boolean.TRUE.equals(transaction.execute(tx -> apply(issue, incident, decision, cycle)));
        Incident after = changed ? incidents.byId(incident.id()).orElseThrow() : incident;

        boolean wrote = moveToError(issue, decision.error());
        Map<String, @Nullable Object> changes = changes(issue, after, decision, cycle);
        if (databaseId == null || adopted) changes.put(settings.fields().databaseId(), after.id());
        Instant echo =
                changes.isEmpty() ? null : client.patch(issue.key(), changes).updatedAt();
        Result result = databaseId == null || adopted
                ? Result.CREATED
                : decision.error() != null
                        ? Result.ERROR
                        : wrote || changed || echo != null ? Result.UPDATED : Result.UNCHANGED;
        return new Outcome(result, echo);
    }

    /**
     * The incident of an issue created by hand (opened once, found again by its key), else the incident recorded with
     * this issue's key, else the one its database id names if that id is known to belong to this issue: the issue
     * was created by us ({@code unique}) or the incident came from the old service, which wrote the id. Empty
     * otherwise: a database id alone never links an issue to an unrelated incident (decision 0021).
     */
    private Optional<Incident> incidentOf(TrackerIssue issue, @Nullable String databaseId) {
        if (databaseId == null) {
            return incidents.byId(incidents.openManual(issue.key(), issue.createdAt(), issue.text("summary")));
        }
        Optional<Incident> byKey = incidents.byTrackerKey(issue.key());
        if (byKey.isPresent()) return byKey;
        Optional<Incident> found = parse(databaseId)
                .flatMap(incidents::byId)
                .filter(i -> i.trackerKey() == null
                        && (i.imported()
                                || IssueCreation.unique(installationId, i.id()).equals(issue.text("unique"))));
        found.ifPresent(i -> incidents.linkIssue(i.id(), issue.key()));
        return found;
    }

    /** An open issue from before this installation: its incident starts when the issue says the incident did. */
    private long adopt(TrackerIssue issue, String databaseId) {
        Instant incidentAt = issue.time(settings.fields().emailDatetime()).orElse(issue.createdAt());
        return incidents.adopt(issue.key(), incidentAt, issue.text("summary"), databaseId);
    }

    /** A closed issue is never moved to "error": that would reopen it in Tracker. */
    private boolean moveToError(TrackerIssue issue, @Nullable String error) {
        return error != null
                && !closed(issue)
                && !issue.statusKey().equals(settings.statuses().error())
                && client.transition(issue.key(), settings.statuses().error(), error);
    }

    private Decision decide(TrackerIssue issue, Incident incident, Cycle cycle) {
        String type = issue.text(cycle.typeFieldId());
        String typeError = type == null || cycle.typeNames().contains(type)
                ? null
                : "Неверно указан тип инцидента (" + type + ").Допустимые значения: "
                        + String.join(", ", cycle.typeNames()) + ".";
        String pole = issue.text(settings.fields().pole());
        String station = issue.text(settings.fields().baseStation());
        LocationCheck.Outcome location =
                Objects.equals(pole, incident.poleCode()) && Objects.equals(station, incident.baseStationName())
                        ? new LocationCheck.Outcome(null, true, null, null)
                        : locations.check(pole, station, incident);
        return new Decision(type, typeError, location, statuses.commandError(issue.statusKey(), incident));
    }

    private boolean apply(TrackerIssue issue, Incident incident, Decision decision, Cycle cycle) {
        long id = incident.id();
        boolean changed = statuses.applyOpenClosed(issue, incident);
        changed |= assignees.apply(issue, incident, cycle.loginsByUid());
        if (decision.typeError() == null && !Objects.equals(decision.typeName(), incident.typeName())) {
            changed |= incidents.setType(id, decision.typeName());
        }
        LocationCheck.Outcome location = decision.location();
        if (location.error() == null && !location.unchanged()) {
            changed |= incidents.setLocation(id, location.poleId(), location.baseStationId());
        }
        String error = decision.error();
        if (error != null) {
            if (!closed(issue)) changed |= incidents.addStatus(id, IncidentStatus.ERROR, error);
        } else {
            changed |= statuses.applyStatus(issue, incident);
        }
        // After the type: its pause statuses decide whether the SLA clock stands still (docs/sla.md, "SLA clock").
        changed |= incidents.trackerStatus(id, issue.statusKey(), issue.statusStart());
        return changed;
    }

    /** The DB truth fields whose value in the issue differs (datetimes compared as instants, blank as empty). */
    private Map<String, @Nullable Object> changes(
            TrackerIssue issue, Incident incident, Decision decision, Cycle cycle) {
        TrackerProperties.Fields keys = settings.fields();
        Map<String, @Nullable Object> truth = issueFields.truth(incident, cycle.typeFieldId(), cycle.now());
        if (decision.typeError() != null) truth.remove(cycle.typeFieldId());
        if (decision.location().error() != null) {
            // Keep what the dispatcher typed next to the error; what was derived from the old location is cleared.
            truth.remove(keys.pole());
            truth.remove(keys.baseStation());
            truth.put(keys.contractorName(), null);
            truth.put(keys.operatorName(), null);
        }
        Map<String, @Nullable Object> changes = new LinkedHashMap<>();
        truth.forEach((field, value) -> {
            boolean time = field.equals(keys.slaDeadline()) || field.equals(keys.emailDatetime());
            if (!same(issue, field, value, time)) changes.put(field, value);
        });
        return changes;
    }

    static boolean same(TrackerIssue issue, String field, @Nullable Object value, boolean time) {
        String wanted = value == null ? null : LocationCheck.blankToNull(value.toString());
        String current = LocationCheck.blankToNull(issue.text(field));
        if (wanted == null || current == null) return wanted == null && current == null;
        if (time) {
            Instant at = Instant.from(IssueFields.TRACKER_TIME.parse(wanted));
            return issue.time(field).map(at::equals).orElse(false);
        }
        return wanted.equals(current);
    }

    private boolean closed(TrackerIssue issue) {
        return statuses.closed(issue.statusKey());
    }

    private Outcome unknownDatabaseId(TrackerIssue issue) {
        moveToError(issue, "Неизвестный " + settings.fields().databaseId() + " для внутреннего номера инцидента.");
        return new Outcome(Result.ERROR, null);
    }

    private static Optional<Long> parse(String databaseId) {
        try {
            return Optional.of(Long.parseLong(databaseId.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
