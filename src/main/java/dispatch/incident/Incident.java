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
 * @param typeDescription the type's description (the contractor's hand-over quotes it); null without a type
 * @param poleId the pole the incident names (not the pole of its base station)
 * @param poleRegion the pole's {@code region} as TowerStore gives it (not {@code region_ru})
 * @param operators operator names of the base station, sorted, joined with {@code ", "}; null without a base station
 * @param contractor the pole's contractor name; null without a pole or contractor
 * @param dispatcherLogin the assigned dispatcher's Tracker login, or null
 * @param reopenedClosureAt the finish time (Tracker's) of the closure a mail from outside answered by reopening the
 *     incident, or null
 * @param imported brought over from the old service: its id is the one the old service wrote into the issue
 * @param slaClockDeadline the deadline the SLA clock computed, for types with a business calendar or pause statuses;
 *     null for the others (the wall clock counts) and while paused
 * @param slaPaused the SLA clock stands still: the issue is in one of its type's pause statuses
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
        @Nullable String typeDescription,
        @Nullable Integer slaMinutes,
        @Nullable Long poleId,
        @Nullable String poleCode,
        @Nullable String poleRegion,
        @Nullable Long baseStationId,
        @Nullable String baseStationName,
        @Nullable String contractor,
        @Nullable String operators,
        @Nullable String dispatcherLogin,
        @Nullable Instant reopenedClosureAt,
        boolean imported,
        @Nullable Instant slaClockDeadline,
        boolean slaPaused) {

    /** Opened for an issue a dispatcher created by hand in Tracker. */
    public boolean manual() {
        return registration == RegistrationMethod.MANUAL;
    }

    /** The deadline in effect (as SQL's {@code incident_sla_deadline}, V84): none while paused. */
    public Optional<Instant> slaDeadline() {
        if (slaPaused) return Optional.empty();
        return slaClockDeadline != null ? Optional.of(slaClockDeadline) : Sla.deadline(incidentAt, slaMinutes);
    }

    public SlaStatus slaStatus(Instant now) {
        return new Sla.Clocked(slaDeadline().orElse(null), slaPaused).status(finishedAt, now);
    }

    public boolean open() {
        return finishedAt == null;
    }
}
