package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportQueryTest {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");

    @ParameterizedTest(name = "now {0} in {1}: from {2}")
    @CsvSource({
        // month ends, in Moscow: the local date decides, not the UTC one
        "2026-11-30T20:59:59Z, Europe/Moscow, 2026-09-30T21:00:00Z", // 23:59:59 on 30 Nov: still November
        "2026-11-30T21:00:00Z, Europe/Moscow, 2026-10-31T21:00:00Z", // 00:00 on 1 Dec: from 1 Nov
        "2026-03-31T12:00:00Z, Europe/Moscow, 2026-01-31T21:00:00Z", // 31 March: from 1 Feb (no 31 Feb trouble)
        // year end
        "2026-12-31T20:59:59Z, Europe/Moscow, 2026-10-31T21:00:00Z",
        "2026-12-31T21:00:00Z, Europe/Moscow, 2026-11-30T21:00:00Z", // 00:00 on 1 Jan 2027: from 1 Dec 2026
        "2027-01-15T09:00:00Z, Europe/Moscow, 2026-11-30T21:00:00Z",
        // other zones: same instant, different local months
        "2026-12-31T21:00:00Z, UTC, 2026-11-01T00:00:00Z",
        "2026-12-31T21:00:00Z, Asia/Vladivostok, 2026-11-30T14:00:00Z", // already 07:00 on 1 Jan there
        "2026-11-01T03:00:00Z, America/New_York, 2026-09-01T04:00:00Z", // 23:00 on 31 Oct there (EDT)
        "2026-11-02T12:00:00Z, America/New_York, 2026-10-01T04:00:00Z" // after the DST switch
    })
    void lastMonthStartsOnTheFirstOfThePreviousLocalMonth(String now, String zone, String expected) {
        assertThat(ReportQuery.lastMonthStart(Instant.parse(now), ZoneId.of(zone)))
                .isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({"true", "TRUE", "True"})
    void lastMonthEndsNowInclusive(String value) {
        Instant now = Instant.parse("2026-11-25T09:00:00Z");
        ReportQuery q = ReportQuery.parse(raw(value, null, null, null), null, now, MOSCOW);

        assertThat(q.from()).isEqualTo(Instant.parse("2026-09-30T21:00:00Z"));
        assertThat(q.until()).isAfter(now).isBefore(now.plusMillis(1));
    }

    @ParameterizedTest
    @CsvSource({
        "2026-11-01T09:30:00+03:00, 2026-11-01T06:30:00Z",
        "2026-11-01T09:30:00 03:00, 2026-11-01T06:30:00Z", // an unencoded '+' arrives as a space
        "2026-11-01T06:30:00Z, 2026-11-01T06:30:00Z",
        "2026-11-01T09:30:00, 2026-11-01T06:30:00Z", // local (Moscow) time
        "2026-11-01, 2026-10-31T21:00:00Z"
    })
    void updatedSinceTakesOffsetsLocalTimesAndDates(String value, String expected) {
        ReportQuery q = ReportQuery.parse(raw(null, value, null, null), null, Instant.EPOCH, MOSCOW);

        assertThat(q.updatedSince()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest
    @CsvSource({
        "'', , text/csv, CSV_COMMA",
        "csv, ;, , CSV_SEMICOLON",
        "csv, semicolon, , CSV_SEMICOLON",
        "json, ;, text/csv, JSON",
        "'', , 'application/json, text/plain', JSON"
    })
    void formatFromParameterOrAcceptHeader(String format, String separator, String accept, String expected) {
        var raw = new ReportQuery.Raw(null, null, null, null, null, null, null, null, format, separator, accept);

        assertThat(ReportQuery.parse(raw, null, Instant.EPOCH, MOSCOW).format().name())
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"2", "yes", "1"})
    void otherBooleansAreRefusedWithTheParameterName(String value) {
        assertThatThrownBy(() -> ReportQuery.parse(raw(value, null, null, null), null, Instant.EPOCH, MOSCOW))
                .isInstanceOfSatisfying(
                        ReportQuery.BadParameter.class,
                        e -> assertThat(e.parameter()).isEqualTo("last_month"))
                .hasMessage("last_month must be true or false");
    }

    @ParameterizedTest
    @CsvSource({"10001", "abc", "0"})
    void limitOutsideItsRangeIsRefused(String limit) {
        assertThatThrownBy(() -> ReportQuery.parse(raw(null, null, limit, null), null, Instant.EPOCH, MOSCOW))
                .hasMessage("limit must be a whole number 1..10000");
    }

    private static ReportQuery.Raw raw(String lastMonth, String updatedSince, String limit, String offset) {
        return new ReportQuery.Raw(lastMonth, null, null, updatedSince, null, null, limit, offset, null, null, null);
    }
}
