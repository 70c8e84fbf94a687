package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShiftRulesTest {

    private static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    private static final ShiftRules RULES = ShiftRules.parse(
            List.of(
                    "# day desk",
                    "Ivanov  mon-fri   09:00-18:00",
                    "petrov  sat,sun   9:00-21:00   # weekends",
                    "sidorov mon-fri   18:00-09:00",
                    "ivanov  off 2026-12-31",
                    "petrov  off 2027-01-01..2027-01-08"),
            MOSCOW);

    @Test
    void weeklyHoursAreInTheDesksTimeZone() {
        // Friday 2026-12-04 09:30 Moscow is 06:30 UTC.
        assertThat(RULES.onShift(at("2026-12-04T09:30"))).containsExactly("ivanov");
        assertThat(RULES.onShift(Instant.parse("2026-12-04T06:30:00Z"))).containsExactly("ivanov");
        assertThat(RULES.onShift(at("2026-12-05T12:00"))).containsExactly("petrov");
    }

    @Test
    void anEndNotAfterTheStartRunsIntoTheNextMorning() {
        assertThat(RULES.onShift(at("2026-12-04T23:00"))).containsExactly("sidorov");
        // Saturday 03:00 is still Friday's night shift; Monday 03:00 is not (Sunday has none).
        assertThat(RULES.onShift(at("2026-12-05T03:00"))).containsExactly("sidorov");
        assertThat(RULES.onShift(at("2026-12-07T03:00"))).isEmpty();
        assertThat(RULES.onShift(at("2026-12-04T18:00"))).containsExactly("sidorov");
    }

    @Test
    void aDayOffOrARangeOfThemTakesTheLoginOffShift() {
        assertThat(RULES.onShift(at("2026-12-31T10:00"))).isEmpty();
        assertThat(RULES.onShift(at("2027-01-02T10:00"))).isEmpty();
        assertThat(RULES.onShift(at("2027-01-09T10:00"))).containsExactly("petrov");
    }

    @Test
    void aWholeDayIsMidnightToMidnight() {
        ShiftRules allDay = ShiftRules.parse(List.of("duty mon-sun 00:00-24:00"), MOSCOW);
        assertThat(allDay.onShift(at("2026-12-06T00:00"))).containsExactly("duty");
        assertThat(allDay.onShift(at("2026-12-06T23:59"))).containsExactly("duty");
    }

    @Test
    void aLineThatDoesNotParseIsNamedByItsNumber() {
        assertThatThrownBy(() -> ShiftRules.parse(List.of("ivanov mon-fri 09:00-18:00", "petrov someday 9-5"), MOSCOW))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> ShiftRules.parse(List.of("x mon-fri 25:00-26:00"), MOSCOW))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> ShiftRules.parse(List.of("x off 2026-12-31..2026-12-01"), MOSCOW))
                .hasMessageContaining("ends before it starts");
    }

    private static Instant at(String local) {
        return LocalDateTime.parse(local).atZone(MOSCOW).toInstant();
    }
}
