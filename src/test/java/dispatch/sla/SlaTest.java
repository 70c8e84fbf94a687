package dispatch.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlaTest {

    private static final Instant START = Instant.parse("2026-11-02T09:00:00Z");
    private static final Instant DEADLINE = Instant.parse("2026-11-02T13:00:00Z");

    @Test
    void deadlineIsTheStartPlusTheTypesMinutesAndAbsentWithoutThem() {
        assertThat(Sla.deadline(START, 240)).contains(DEADLINE);
        assertThat(Sla.deadline(START, null)).isEmpty();
    }

    @Test
    void withoutDeadlineTheStatusIsUnknown() {
        assertThat(Sla.status(null, null, START)).isEqualTo(SlaStatus.UNKNOWN);
        assertThat(Sla.status(null, START, START)).isEqualTo(SlaStatus.UNKNOWN);
    }

    @Test
    void openIncidentIsInProgressThenLessThanAnHourThenExpired() {
        assertThat(Sla.status(DEADLINE, null, at("11:59:59"))).isEqualTo(SlaStatus.IN_PROGRESS);
        assertThat(Sla.status(DEADLINE, null, at("12:00:00"))).isEqualTo(SlaStatus.LESS_THAN_AN_HOUR);
        assertThat(Sla.status(DEADLINE, null, at("13:00:00"))).isEqualTo(SlaStatus.LESS_THAN_AN_HOUR);
        assertThat(Sla.status(DEADLINE, null, at("13:00:01"))).isEqualTo(SlaStatus.EXPIRED);
    }

    @Test
    void finishedIncidentIsClosedOnTimeEvenInTheLastHourOrExpiredByItsFinishTime() {
        assertThat(Sla.status(DEADLINE, at("12:30:00"), at("18:00:00"))).isEqualTo(SlaStatus.CLOSED_ON_TIME);
        assertThat(Sla.status(DEADLINE, at("13:00:00"), at("18:00:00"))).isEqualTo(SlaStatus.CLOSED_ON_TIME);
        assertThat(Sla.status(DEADLINE, at("13:30:00"), at("13:31:00"))).isEqualTo(SlaStatus.EXPIRED);
    }

    @Test
    void nextChangeIsTheWarningThenJustAfterTheDeadlineThenNothing() {
        assertThat(Sla.nextChange(DEADLINE, null, at("10:00:00"))).contains(at("12:00:00"));
        assertThat(Sla.nextChange(DEADLINE, null, at("12:10:00"))).contains(DEADLINE.plusMillis(1));
        assertThat(Sla.nextChange(DEADLINE, null, at("13:10:00"))).isEmpty();
        assertThat(Sla.nextChange(DEADLINE, at("12:10:00"), at("12:10:00"))).isEmpty();
        assertThat(Sla.status(
                        DEADLINE,
                        null,
                        Sla.nextChange(DEADLINE, null, at("12:10:00")).orElseThrow()))
                .isEqualTo(SlaStatus.EXPIRED);
    }

    @Test
    void statusTextsAreTheTrackerFieldValues() {
        assertThat(SlaStatus.UNKNOWN.text()).isEqualTo("⬜️ Неизвестно");
        assertThat(SlaStatus.fromText("🟥 Просрочен")).isEqualTo(SlaStatus.EXPIRED);
    }

    private static Instant at(String time) {
        return Instant.parse("2026-11-02T" + time + "Z");
    }
}
