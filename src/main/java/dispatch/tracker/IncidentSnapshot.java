package dispatch.tracker;

import dispatch.sla.Sla;
import dispatch.sla.SlaStatus;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the database knows about an incident, in the shape Tracker's fields need it: the "DB truth" the push writes
 * and the reconcile compares with.
 *
 * @param operators operator names of the base station, sorted, joined with {@code ", "}; null without a base station
 * @param contractor the pole's contractor name; null without a pole or contractor
 * @param dispatcherLogin the assigned dispatcher's Tracker login, or null
 * @param imported brought over from the old service: its id is the one the old service wrote into the issue
 */
record IncidentSnapshot(
        long id,
        String code,
        @Nullable String trackerKey,
        @Nullable String summary,
        Instant incidentAt,
        @Nullable Instant finishedAt,
        boolean manual,
        boolean newMessage,
        @Nullable String typeName,
        @Nullable Integer slaMinutes,
        @Nullable Long poleId,
        @Nullable String poleCode,
        @Nullable String poleRegion,
        @Nullable Long baseStationId,
        @Nullable String baseStationName,
        @Nullable String contractor,
        @Nullable String operators,
        @Nullable String dispatcherLogin,
        boolean imported) {

    Optional<Instant> slaDeadline() {
        return Sla.deadline(incidentAt, slaMinutes);
    }

    SlaStatus slaStatus(Instant now) {
        return Sla.status(slaDeadline().orElse(null), finishedAt, now);
    }

    boolean open() {
        return finishedAt == null;
    }
}
