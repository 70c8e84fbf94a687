package dispatch.sla;

import dispatch.platform.DispatchProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The business calendars: every {@code <name>.txt} in {@code DISPATCH_SLA_CALENDARS} (default {@code
 * <data directory>/calendar/}; format in docs/sla.md, "Business calendars"), read once at start-up. A file that does not parse stops start-up naming the file and line.
 */
@Component
public class SlaCalendars {

    private static final Logger log = LoggerFactory.getLogger(SlaCalendars.class);
    /** The names incident_type.sla_calendar allows (its check constraint). */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    private final Path directory;
    private final Map<String, WorkCalendar> calendars = new HashMap<>();

    SlaCalendars(SlaProperties settings, DispatchProperties platform) {
        this.directory = settings.calendars() != null
                ? settings.calendars()
                : platform.dataDirectory().resolve("calendar");
        for (Path file : files()) {
            String name = file.getFileName().toString().replaceFirst("\\.txt$", "");
            try {
                calendars.put(
                        name,
                        WorkCalendar.parse(Files.readAllLines(file, StandardCharsets.UTF_8), platform.timeZone()));
            } catch (IllegalArgumentException | IOException e) {
                throw new IllegalStateException("Invalid SLA calendar file " + file + ": " + e.getMessage(), e);
            }
        }
        if (!calendars.isEmpty()) log.info("SLA calendars read from {}: {}", directory, calendars.keySet());
    }

    /** The calendar of this name, if its file was there at start-up. */
    public Optional<WorkCalendar> byName(String name) {
        return Optional.ofNullable(calendars.get(name));
    }

    /** Where the calendar of this name is read from. */
    public Path file(String name) {
        return directory.resolve(name + ".txt");
    }

    private List<Path> files() {
        if (!Files.isDirectory(directory)) return List.of();
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".txt"))
                    .filter(f -> NAME.matcher(f.getFileName().toString().replaceFirst("\\.txt$", ""))
                            .matches())
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list SLA calendars in " + directory, e);
        }
    }
}
