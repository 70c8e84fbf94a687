package dispatch.tracker;

import static dispatch.tracker.PullFixture.trackerTime;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.sla.SlaAlerts;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.tracker.FakeTracker;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * An incident type on a business calendar with a pause status and SLA alerts (docs/sla.md, "SLA clock"), end to end:
 * the calendar file read at start-up, the deadline counted across a weekend and a holiday and pushed to Tracker, a
 * pause while the issue waits for the requester (deadline moved by the paused time), one alert an hour before the
 * deadline and one at the breach, neither told again.
 *
 * <p>The calendar is written relative to today (D, in the desk's zone) so the test means the same any day: D-4 and
 * D are worked round the clock, D-3 and D-2 are the weekend (their weekdays have no hours), D-1 is a holiday.
 */
@DispatchIntegrationTest
@Import(ShiftedClock.Config.class)
@TestPropertySource(properties = "dispatch.sla.calendars=target/sla-clock-it/calendar")
class SlaClockIntegrationTest {

    private static final ZoneId ZONE = ZoneId.of("Europe/Moscow");
    private static final LocalDate TODAY = LocalDate.now(ZONE);
    private static final String TYPE_NAME = "Авария ВОЛС";

    static {
        List<String> lines = List.of(
                "# written by SlaClockIntegrationTest",
                days(-1, 0, 1, 2, 3) + " 00:00-24:00",
                TODAY.minusDays(1) + "   # a holiday");
        try {
            Path dir = Files.createDirectories(Path.of("target/sla-clock-it/calendar"));
            Files.write(dir.resolve("office.txt"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    TrackerPull pull;

    @Autowired
    SlaAlerts alerts;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TowerStore towerStore;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    ShiftedClock clock;

    FakeTracker tracker;
    PullFixture fixture;
    String typeField;

    @BeforeEach
    void clean() {
        tracker = standIns.tracker();
        fixture = new PullFixture(jdbc, tracker, towerStore, towerStoreImport);
        fixture.reset();
        jdbc.update("delete from alert");
        typeField = tracker.localFieldId(TrackerReconcileIntegrationTest.TYPE);
    }

    @Test
    void calendarDeadlineAcrossAWeekendAndAHolidayMovesWithAPauseAndIsAlertedOnceEach() throws Exception {
        // Two working hours on D-4 (22:00-24:00), then nothing until D 00:00; the SLA ends three hours from now.
        Instant start = TODAY.minusDays(4).atTime(22, 0).atZone(ZONE).toInstant();
        Instant todayStart = TODAY.atStartOfDay(ZONE).toInstant();
        long minutes = 120 + Duration.between(todayStart, clock.instant()).toMinutes() + 180;
        Instant expected = todayStart.plus(Duration.ofMinutes(minutes - 120));
        jdbc.update(
                "update incident_type set sla_minutes = ?, sla_calendar = 'office',"
                        + " sla_pause_statuses = '{needAcceptance}', sla_alerts = true where name = ?",
                (int) minutes,
                TYPE_NAME);
        long id = fixture.incident(start, null);
        String key = fixture.issue(id, Map.of(typeField, TYPE_NAME));

        pull.pullOnce();

        assertThat(trackerTime(fixture.field(key, "slaDeadline"))).isEqualTo(expected);
        assertThat(expected).isAfter(start.plus(Duration.ofMinutes(minutes))); // not the wall clock's
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟦 В работе");
        assertThat(reportDeadline(id)).isEqualTo(expected);

        // Waiting for the requester for 25 minutes of Tracker's time: no deadline, status paused.
        tracker.transition(key, "needAcceptance");
        pull.pullOnce();
        assertThat(fixture.field(key, "slaDeadline")).isNull();
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("⏸️ Пауза");
        assertThat(reportDeadline(id)).isNull();
        tracker.advanceClock(Duration.ofMinutes(25));
        tracker.transition(key, "inProgress");
        pull.pullOnce();

        Duration paused = pausedTime(id);
        assertThat(paused).isGreaterThanOrEqualTo(Duration.ofMinutes(25));
        Instant moved = expected.plus(paused);
        assertThat(trackerTime(fixture.field(key, "slaDeadline"))).isEqualTo(moved);
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟦 В работе");
        assertThat(reportDeadline(id)).isEqualTo(moved);

        // 59 minutes before the deadline: one warning, whoever checks and however often.
        clock.shift(Duration.between(clock.instant(), moved.minus(Duration.ofMinutes(59))));
        assertThat(checkTwiceAtOnce()).isEqualTo(1);
        assertThat(alerts.checkOnce()).isZero();
        pull.pullOnce();
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟨 Осталось менее часа");

        // Past the deadline: one breach alert, not repeated.
        clock.shift(Duration.between(clock.instant(), moved.plus(Duration.ofMinutes(1))));
        assertThat(checkTwiceAtOnce()).isEqualTo(1);
        assertThat(alerts.checkOnce()).isZero();
        pull.pullOnce();
        assertThat(fixture.field(key, "slaStatus")).isEqualTo("🟥 Просрочен");

        assertThat(jdbc.queryForList(
                        "select a.fingerprint || ' ' || count(n.id) from alert a left join alert_notice n"
                                + " on n.alert_id = a.id where a.fingerprint like 'sla:%' group by a.fingerprint"
                                + " order by 1",
                        String.class))
                .containsExactly("sla:" + id + ":breached 1", "sla:" + id + ":warning 1");
        assertThat(jdbc.queryForObject(
                        "select title from alert where fingerprint = ?", String.class, "sla:" + id + ":breached"))
                .isEqualTo("SLA нарушен: " + key + " (" + fixture.row(id).get("code") + ")");
    }

    /** Two instances checking at the same moment. */
    private int checkTwiceAtOnce() {
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(alerts::checkOnce);
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(alerts::checkOnce);
        return one.join() + two.join();
    }

    private Duration pausedTime(long id) {
        Timestamp[] at = jdbc.queryForObject(
                "select paused_at, resumed_at from incident_sla_pause where incident_id = ?",
                (rs, n) -> new Timestamp[] {rs.getTimestamp(1), rs.getTimestamp(2)},
                id);
        return Duration.between(at[0].toInstant(), at[1].toInstant());
    }

    private @Nullable Instant reportDeadline(long id) {
        jdbc.queryForObject("select incident_report_refresh_stale()", Integer.class);
        Timestamp at = jdbc.queryForObject(
                "select sla_deadline from incident_report where incident_id = ?", Timestamp.class, id);
        return at == null ? null : at.toInstant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** The weekdays of today plus each offset, as the calendar file writes them ({@code mon,tue,…}). */
    private static String days(int... offsets) {
        return Arrays.stream(offsets)
                .mapToObj(d -> TODAY.plusDays(d).getDayOfWeek())
                .map(SlaClockIntegrationTest::name)
                .collect(Collectors.joining(","));
    }

    private static String name(DayOfWeek day) {
        return day.name().substring(0, 3).toLowerCase(Locale.ROOT);
    }
}
