package dispatch.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Incident SLA (docs/domain.md, "Incident types and SLA"): the deadline is the SLA start plus the type's minutes (plain wall-clock time), the
 * status depends on where "now" or the finish time lies. Unlike the old service, an incident finished before its
 * deadline is {@link SlaStatus#CLOSED_ON_TIME} even when it was finished in the last hour.
 */
public final class Sla {

    /** How close to the deadline an open incident turns {@link SlaStatus#LESS_THAN_AN_HOUR}. */
    public static final Duration WARNING = Duration.ofHours(1);

    private Sla() {}

    /** The deadline, or empty when the incident has no type or the type has no SLA. */
    public static Optional<Instant> deadline(Instant start, @Nullable Integer slaMinutes) {
        return slaMinutes == null ? Optional.empty() : Optional.of(start.plus(Duration.ofMinutes(slaMinutes)));
    }

    public static SlaStatus status(@Nullable Instant deadline, @Nullable Instant finishedAt, Instant now) {
        if (deadline == null) return SlaStatus.UNKNOWN;
        if (finishedAt != null) {
            return finishedAt.isAfter(deadline) ? SlaStatus.EXPIRED : SlaStatus.CLOSED_ON_TIME;
        }
        if (now.isAfter(deadline)) return SlaStatus.EXPIRED;
        return Duration.between(now, deadline).compareTo(WARNING) <= 0
                ? SlaStatus.LESS_THAN_AN_HOUR
                : SlaStatus.IN_PROGRESS;
    }

    /**
     * When the status of an open incident changes next without anything else happening (an hour before the
     * deadline, and at the deadline), or empty when it will not.
     */
    public static Optional<Instant> nextChange(@Nullable Instant deadline, @Nullable Instant finishedAt, Instant now) {
        if (deadline == null || finishedAt != null || now.isAfter(deadline)) return Optional.empty();
        Instant warning = deadline.minus(WARNING);
        return Optional.of(now.isBefore(warning) ? warning : deadline.plusMillis(1));
    }
}
