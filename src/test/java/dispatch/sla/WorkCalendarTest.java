package dispatch.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkCalendarTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    /** 2027-01-01..08 off, Saturday 2027-01-09 worked, a short Friday 2027-02-19 before a holiday Monday. */
    private static final WorkCalendar OFFICE = WorkCalendar.parse(
            List.of(
                    "# office hours",
                    "mon-fri 09:00-13:00 14:00-18:00   # lunch from one to two",
                    "2027-01-01",
                    "2027-01-04",
                    "2027-01-05 # more holidays",
                    "2027-01-09 10:00-14:00",
                    "2027-02-19 09:00-16:00",
                    "2027-02-22"),
            MOSCOW);

    @Test
    void addsWorkingMinutesWithinOneDayAcrossTheLunchBreak() {
        assertThat(OFFICE.plus(at("2026-12-01T10:00"), hours(2))).isEqualTo(at("2026-12-01T12:00"));
        assertThat(OFFICE.plus(at("2026-12-01T10:00"), hours(4))).isEqualTo(at("2026-12-01T15:00"));
    }

    @Test
    void aDeadlineAtTheEndOfTheDayStaysThereInsteadOfTheNextMorning() {
        assertThat(OFFICE.plus(at("2026-12-01T09:00"), hours(8))).isEqualTo(at("2026-12-01T18:00"));
    }

    @Test
    void workLeftAtNightGoesOnTheNextMorning() {
        assertThat(OFFICE.plus(at("2026-12-01T17:00"), hours(2))).isEqualTo(at("2026-12-02T10:00"));
    }

    @Test
    void aStartOutsideHoursCountsFromTheNextWorkingHour() {
        assertThat(OFFICE.plus(at("2026-12-01T06:30"), hours(1))).isEqualTo(at("2026-12-01T10:00"));
        assertThat(OFFICE.plus(at("2026-12-01T13:30"), hours(1))).isEqualTo(at("2026-12-01T15:00"));
        assertThat(OFFICE.plus(at("2026-12-01T22:00"), hours(1))).isEqualTo(at("2026-12-02T10:00"));
    }

    @Test
    void weekendsAreSkipped() {
        // Friday 2026-12-04 17:00 + 2 h: one hour on Friday, one on Monday.
        assertThat(OFFICE.plus(at("2026-12-04T17:00"), hours(2))).isEqualTo(at("2026-12-07T10:00"));
        // Saturday start: Monday morning.
        assertThat(OFFICE.plus(at("2026-12-05T11:00"), hours(1))).isEqualTo(at("2026-12-07T10:00"));
    }

    @Test
    void holidaysAreSkippedAndAWorkedSaturdayCountsWithItsOwnHours() {
        // Thursday 2026-12-31 17:00: 1 h that day; Jan 1 (holiday), 2-3 (weekend), 4-5 (holidays), 6-8 work.
        assertThat(OFFICE.plus(at("2026-12-31T17:00"), hours(2))).isEqualTo(at("2027-01-06T10:00"));
        // Friday 2027-01-08 17:00 + 2 h: Saturday 2027-01-09 is worked from 10:00.
        assertThat(OFFICE.plus(at("2027-01-08T17:00"), hours(2))).isEqualTo(at("2027-01-09T11:00"));
        // A start on a holiday counts from the next working day.
        assertThat(OFFICE.plus(at("2027-01-04T12:00"), hours(1))).isEqualTo(at("2027-01-06T10:00"));
    }

    @Test
    void aShortDayBeforeAHolidayEndsEarly() {
        // Friday 2027-02-19 ends at 16:00, Monday 2027-02-22 is off.
        assertThat(OFFICE.plus(at("2027-02-19T15:00"), hours(2))).isEqualTo(at("2027-02-23T10:00"));
    }

    @Test
    void multiDayDeadlinesCountOnlyWorkingTime() {
        // 48 working hours (2,880 minutes) = six working days of 8 h: Monday 09:00 → next Monday 18:00.
        assertThat(OFFICE.plus(at("2026-11-30T09:00"), Duration.ofMinutes(2880)))
                .isEqualTo(at("2026-12-07T18:00"));
    }

    @Test
    void workingTimeBetweenInstantsLeavesOutNightsWeekendsAndHolidays() {
        assertThat(OFFICE.between(at("2026-12-01T12:00"), at("2026-12-01T15:00")))
                .isEqualTo(hours(2));
        assertThat(OFFICE.between(at("2026-12-04T17:00"), at("2026-12-07T10:00")))
                .isEqualTo(hours(2));
        assertThat(OFFICE.between(at("2027-01-01T00:00"), at("2027-01-06T00:00")))
                .isZero();
        assertThat(OFFICE.between(at("2026-12-02T10:00"), at("2026-12-01T10:00")))
                .isZero();
    }

    @Test
    void roundTheClockHoursAndMidnightEnds() {
        WorkCalendar always = WorkCalendar.parse(List.of("mon-sun 00:00-24:00"), MOSCOW);
        assertThat(always.plus(at("2026-12-05T23:00"), hours(26))).isEqualTo(at("2026-12-07T01:00"));
        WorkCalendar evenings = WorkCalendar.parse(List.of("sat,sun 18:00-24:00"), MOSCOW);
        assertThat(evenings.plus(at("2026-12-05T23:00"), hours(2))).isEqualTo(at("2026-12-06T19:00"));
    }

    @Test
    void badLinesStopTheCalendarNamingTheLine() {
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("mon-fri 09:00-18:00", "2027-13-01"), MOSCOW))
                .hasMessageStartingWith("line 2 '2027-13-01'");
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("mon-fry 09:00-18:00"), MOSCOW))
                .hasMessageContaining("line 1")
                .hasMessageContaining("unknown day 'fry'");
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("mon 18:00-09:00"), MOSCOW))
                .hasMessageContaining("end before they start");
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("mon 09:00-13:00", "mon 12:00-18:00"), MOSCOW))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("mon 09:00-18:00", "2027-01-01", "2027-01-01"), MOSCOW))
                .hasMessageContaining("line 3")
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("2027-01-01"), MOSCOW))
                .hasMessageContaining("no weekly working hours");
        assertThatThrownBy(() -> WorkCalendar.parse(List.of("mon 9-18"), MOSCOW))
                .hasMessageContaining("bad hours");
    }

    @Test
    void hostileLinesAreRejectedQuickly() {
        String junk = "mon " + "0".repeat(20_000) + "x";
        assertThatThrownBy(() -> WorkCalendar.parse(List.of(junk), MOSCOW)).hasMessageContaining("line 1");
        String spaces = "mon" + " 1".repeat(20_000) + "!";
        assertThatThrownBy(() -> WorkCalendar.parse(List.of(spaces), MOSCOW)).hasMessageContaining("line 1");
    }

    @Test
    void generatedLinesEitherParseOrNameTheirLine() {
        java.util.Random random = new java.util.Random(27);
        String alphabet = "0123456789:-, \tmonfrisatuwedhx#\u00a0\u2013";
        for (int n = 0; n < 5_000; n++) {
            StringBuilder line = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--)
                line.append(alphabet.charAt(random.nextInt(alphabet.length())));
            try {
                WorkCalendar calendar = WorkCalendar.parse(List.of("mon 09:00-18:00", line.toString()), MOSCOW);
                assertThat(calendar.plus(at("2026-12-01T10:00"), hours(1))).isNotNull();
            } catch (IllegalArgumentException e) {
                assertThat(e).hasMessageStartingWith("line 2 ");
            }
        }
    }

    @Test
    void aHolidayOnTheOnlyWorkingDayOfTheWeekMovesTheDeadlineAWeek() {
        WorkCalendar never = WorkCalendar.parse(List.of("mon 09:00-10:00", "2026-12-07"), MOSCOW);
        assertThat(never.plus(at("2026-12-01T00:00"), hours(1))).isEqualTo(at("2026-12-14T10:00"));
    }

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(MOSCOW).toInstant();
    }

    private static Duration hours(long n) {
        return Duration.ofHours(n);
    }
}
