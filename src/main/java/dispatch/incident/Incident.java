package dispatch.incident;

import dispatch.sla.Sla;
import dispatch.sla.SlaStatus;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An incident as other features read it ({@link Incidents#byId}, {@link Incidents#byTrackerKey}): its own fields, its
 * type, where it is (pole, base station, the pole's contractor, the station's operators) and who has it.
 *
 * @param operators operator names of the base station, sorted, joined with {@code ", "}; null without a base station
 * @param contractor the pole's contractor name; null without a pole or contractor
 * @param dispatcherLogin the assigned dispatcher's Tracker login, or null
 */
public record Incident(
        long id,
        String code,
        @Nullable String trackerKey,
        @Nullable String summary,
        Instant incidentAt,
        @Nullable Instant finishedAt,
        RegistrationMethod registration,
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
        @Nullable String dispatcherLogin) {

    /** Opened for an issue a dispatcher created by hand in Tracker. */
    public boolean manual() {
        return registration == RegistrationMethod.MANUAL;
    }

    public Optional<Instant> slaDeadline() {
        return Sla.deadline(incidentAt, slaMinutes);
    }

    public SlaStatus slaStatus(Instant now) {
        return Sla.status(slaDeadline().orElse(null), finishedAt, now);
    }

    public boolean open() {
        return finishedAt == null;
    }
}
