package dispatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.sla.Sla.Clocked;
import dispatch.sla.Sla.Pause;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Deadlines with a business calendar and pauses ({@link Sla#deadline(Instant, Integer, WorkCalendar, List)}). */
class SlaClockTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    private static final WorkCalendar OFFICE = WorkCalendar.parse(
            List.of("mon-fri 09:00-18:00", "2027-01-01", "2027-01-04", "2027-01-09 09:00-18:00"), MOSCOW);

    @Test
    void withoutCalendarOrPausesTheDeadlineIsTheWallClockOne() {
        Instant start = at("2026-12-05T10:00");
        assertThat(Sla.deadline(start, 240, null, List.of()))
                .isEqualTo(new Clocked(Sla.deadline(start, 240).orElseThrow(), false));
        assertThat(Sla.deadline(start, null, OFFICE, List.of())).isEqualTo(new Clocked(null, false));
    }

    @Test
    void aPauseMovesAWallClockDeadlineByThePausedTime() {
        Clocked clocked =
                Sla.deadline(at("2026-12-01T10:00"), 240, null, List.of(pause("2026-12-01T11:00", "2026-12-01T12:30")));
        assertThat(clocked.deadline()).isEqualTo(at("2026-12-01T15:30"));
    }

    @Test
    void whilePausedThereIsNoDeadlineAndTheStatusIsPaused() {
        Clocked clocked = Sla.deadline(at("2026-12-01T10:00"), 240, null, List.of(pause("2026-12-01T11:00", null)));
        assertThat(clocked).isEqualTo(new Clocked(null, true));
        assertThat(clocked.status(null, at("2026-12-09T00:00"))).isEqualTo(SlaStatus.PAUSED);
    }

    @Test
    void aPauseAfterTheBreachChangesNothing() {
        Instant start = at("2026-12-01T10:00");
        Clocked open = Sla.deadline(start, 60, null, List.of(pause("2026-12-01T12:00", null)));
        assertThat(open).isEqualTo(new Clocked(at("2026-12-01T11:00"), false));
        assertThat(open.status(null, at("2026-12-01T12:30"))).isEqualTo(SlaStatus.EXPIRED);
        Clocked resumed = Sla.deadline(start, 60, null, List.of(pause("2026-12-01T12:00", "2026-12-01T15:00")));
        assertThat(resumed.deadline()).isEqualTo(at("2026-12-01T11:00"));
    }

    @Test
    void aPauseStartingExactlyAtTheDeadlineComesTooLate() {
        Clocked clocked = Sla.deadline(at("2026-12-01T10:00"), 60, null, List.of(pause("2026-12-01T11:00", null)));
        assertThat(clocked).isEqualTo(new Clocked(at("2026-12-01T11:00"), false));
    }

    @Test
    void aPauseSpanningAWeekendCostsOnlyItsWorkingHours() {
        // Friday 16:00 start, 4 working hours; paused Friday 17:00 → Monday 11:00 (one working hour of Friday, two of
        // Monday paused): 1 h before the pause, 3 h left from Monday 11:00.
        Clocked clocked = Sla.deadline(
                at("2026-12-04T16:00"), 240, OFFICE, List.of(pause("2026-12-04T17:00", "2026-12-07T11:00")));
        assertThat(clocked.deadline()).isEqualTo(at("2026-12-07T14:00"));
    }

    @Test
    void pausesOutsideWorkingHoursCostNothing() {
        Clocked clocked = Sla.deadline(
                at("2026-12-01T17:00"),
                120,
                OFFICE,
                List.of(pause("2026-12-01T19:00", "2026-12-02T08:00"), pause("2026-12-02T08:30", "2026-12-02T09:00")));
        assertThat(clocked.deadline()).isEqualTo(at("2026-12-02T10:00"));
    }

    @Test
    void calendarHolidaysAndPausesTogether() {
        // Thursday 2026-12-31 15:00, 8 working hours: 3 h on Thursday; Jan 1 and Jan 4 off, Jan 2-3 weekend;
        // paused Tuesday Jan 5 10:00-12:00; Jan 5 09:00-10:00 and 12:00-16:00 give the other 5 hours.
        Clocked clocked = Sla.deadline(
                at("2026-12-31T15:00"), 480, OFFICE, List.of(pause("2027-01-05T10:00", "2027-01-05T12:00")));
        assertThat(clocked.deadline()).isEqualTo(at("2027-01-05T16:00"));
    }

    @Test
    void pausesBeforeTheStartAndInAnyOrderAreHandled() {
        Clocked clocked = Sla.deadline(
                at("2026-12-01T10:00"),
                120,
                null,
                List.of(pause("2026-12-01T11:00", "2026-12-01T11:30"), pause("2026-12-01T09:00", "2026-12-01T10:30")));
        // 09:00-10:30 overlaps the start by 30 min, 11:00-11:30 another 30 min.
        assertThat(clocked.deadline()).isEqualTo(at("2026-12-01T13:00"));
    }

    @Test
    void resumeAfterASecondPauseKeepsCountingFromWhatWasLeft() {
        Clocked clocked = Sla.deadline(
                at("2026-12-01T09:00"),
                180,
                OFFICE,
                List.of(pause("2026-12-01T10:00", "2026-12-01T11:00"), pause("2026-12-01T12:00", "2026-12-02T09:00")));
        // 1 h, pause, 1 h, pause over the night, the last hour on Wednesday morning.
        assertThat(clocked.deadline()).isEqualTo(at("2026-12-02T10:00"));
        assertThat(clocked.status(null, at("2026-12-02T09:30"))).isEqualTo(SlaStatus.LESS_THAN_AN_HOUR);
        assertThat(clocked.status(at("2026-12-02T09:59"), at("2026-12-03T00:00")))
                .isEqualTo(SlaStatus.CLOSED_ON_TIME);
    }

    private static Pause pause(String from, @Nullable String to) {
        return new Pause(at(from), to == null ? null : at(to));
    }

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(MOSCOW).toInstant();
    }
}
