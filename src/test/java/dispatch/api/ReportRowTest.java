package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReportRowTest {

    static final DateTimeFormatter ISO_SECONDS_WITH_OFFSET = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ssxxx");

    @ParameterizedTest
    @ValueSource(strings = {"Europe/Moscow", "UTC", "America/St_Johns", "Asia/Kolkata", "Europe/Berlin"})
    void timesAreFormattedAsTheIsoPatternWouldInAnyZone(String zoneId) {
        ZoneId zone = ZoneId.of(zoneId);
        for (String at : new String[] {
            "2026-11-20T07:00:05.999999Z",
            "2026-03-29T00:59:59Z",
            "2026-03-29T01:00:00Z",
            "1999-12-31T23:30:00Z",
            "0999-06-01T12:00:00Z",
            "1880-01-01T00:00:00Z",
            "+10000-01-01T00:00:00Z"
        }) {
            Instant instant = Instant.parse(at);
            assertThat(ReportRow.format(instant, zone))
                    .as(at)
                    .isEqualTo(ISO_SECONDS_WITH_OFFSET.format(
                            instant.truncatedTo(ChronoUnit.SECONDS).atZone(zone)));
        }
        assertThat(ReportRow.format(null, zone)).isNull();
    }
}
