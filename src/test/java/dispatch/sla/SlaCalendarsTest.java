package dispatch.sla;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.platform.DispatchProperties;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The calendar files as start-up reads them. */
class SlaCalendarsTest {

    @TempDir
    Path data;

    @Test
    void everyCalendarFileIsReadByItsName() throws IOException {
        Path dir = Files.createDirectories(data.resolve("calendar"));
        Files.write(dir.resolve("office.txt"), List.of("mon-fri 09:00-18:00", "2027-01-01"));
        Files.write(dir.resolve("notes.md"), List.of("not a calendar"));
        Files.write(dir.resolve("Bad Name.txt"), List.of("not a calendar either"));

        SlaCalendars calendars = calendars(null);

        assertThat(calendars.byName("office")).isPresent();
        assertThat(calendars.byName("notes")).isEmpty();
        assertThat(calendars.file("office")).isEqualTo(dir.resolve("office.txt"));
    }

    @Test
    void aBadLineStopsStartUpNamingTheFileAndTheLine() throws IOException {
        Path dir = Files.createDirectories(data.resolve("elsewhere"));
        Path file = dir.resolve("office.txt");
        Files.write(file, List.of("# hours", "mon-fri 09:00-18:00", "2027-02-30"));

        assertThatThrownBy(() -> calendars(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Invalid SLA calendar file " + file + ": line 3 '2027-02-30'");
    }

    @Test
    void withoutTheDirectoryThereAreNoCalendars() {
        assertThat(calendars(null).byName("office")).isEmpty();
    }

    private SlaCalendars calendars(@Nullable Path directory) {
        return new SlaCalendars(
                new SlaProperties(directory), new DispatchProperties("test", ZoneId.of("Europe/Moscow"), data, false));
    }
}
