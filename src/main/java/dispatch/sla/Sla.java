package dispatch.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Incident SLA (docs/domain.md, "Incident types and SLA"; docs/sla.md, "SLA clock"): the deadline is the SLA start
 * plus the type's minutes, on the wall clock or counted in a {@link WorkCalendar}'s working time, less the time the
 * clock was paused; the status depends on where "now" or the finish time lies. Unlike the old service, an incident finished before its
 * deadline is {@link SlaStatus#CLOSED_ON_TIME} even when it was finished in the last hour.
 */
public final class Sla {

    /** How close to the deadline an open incident turns {@link SlaStatus#LESS_THAN_AN_HOUR}. */
    public static final Duration WARNING = Duration.ofHours(1);

    private Sla() {}

    /** The SLA clock stood still from {@code from} to {@code to}; an open pause has no end yet. */
    public record Pause(Instant from, @Nullable Instant to) {}

    /**
     * The deadline in effect, or none: no SLA, or paused before the deadline was reached (a pause after a breach
     * changes nothing).
     */
    public record Clocked(@Nullable Instant deadline, boolean paused) {

        public SlaStatus status(@Nullable Instant finishedAt, Instant now) {
            return paused && finishedAt == null ? SlaStatus.PAUSED : Sla.status(deadline, finishedAt, now);
        }
    }

    /** The deadline, or empty when the incident has no type or the type has no SLA. */
    public static Optional<Instant> deadline(Instant start, @Nullable Integer slaMinutes) {
        return slaMinutes == null ? Optional.empty() : Optional.of(start.plus(Duration.ofMinutes(slaMinutes)));
    }

    /**
     * The deadline counting {@code slaMinutes} of the calendar's working time (null: the wall clock) from
     * {@code start}, with the paused time left out.
     */
    public static Clocked deadline(
            Instant start, @Nullable Integer slaMinutes, @Nullable WorkCalendar calendar, List<Pause> pauses) {
        if (slaMinutes == null) return new Clocked(null, false);
        Duration left = Duration.ofMinutes(slaMinutes);
        Instant at = start;
        for (Pause pause :
                pauses.stream().sorted(Comparator.comparing(Pause::from)).toList()) {
            if (pause.to() != null && !pause.to().isAfter(at)) continue;
            Instant due = plus(calendar, at, left);
            if (!due.isAfter(pause.from())) return new Clocked(due, false);
            if (pause.from().isAfter(at)) left = left.minus(between(calendar, at, pause.from()));
            if (pause.to() == null) return new Clocked(null, true);
            at = pause.to();
        }
        return new Clocked(plus(calendar, at, left), false);
    }

    private static Instant plus(@Nullable WorkCalendar calendar, Instant start, Duration work) {
        return calendar == null ? start.plus(work) : calendar.plus(start, work);
    }

    private static Duration between(@Nullable WorkCalendar calendar, Instant from, Instant to) {
        return calendar == null ? Duration.between(from, to) : calendar.between(from, to);
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
