package dispatch.incident;

import dispatch.platform.DispatchProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The optional shifts file ({@code DISPATCH_INCIDENT_SHIFTSFILE}, under the data directory; format in
 * docs/dispatchers.md). Read at start-up (a line that does not parse stops start-up naming it) and again whenever it
 * changes; a later edit that does not parse is logged and the rules read before stay. Without the file every
 * dispatcher is always on shift.
 */
@Component
class Shifts {

    private static final Logger log = LoggerFactory.getLogger(Shifts.class);

    private record Loaded(FileTime modified, ShiftRules rules) {}

    private final Path file;
    private final DispatchProperties platform;
    private volatile Loaded loaded;

    Shifts(IncidentProperties settings, DispatchProperties platform) {
        this.file = platform.dataDirectory().resolve(settings.shiftsFile());
        this.platform = platform;
        Optional<FileTime> modified = modified();
        if (modified.isPresent()) {
            try {
                loaded = new Loaded(modified.get(), read());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "Invalid shifts file " + file + " (DISPATCH_INCIDENT_SHIFTSFILE): " + e.getMessage(), e);
            }
            log.info("Dispatcher shifts read from {}", file);
        }
    }

    /** The logins (lower case) on shift at {@code now}; empty when there is no shifts file (everyone is). */
    synchronized Optional<Set<String>> onShift(Instant now) {
        Optional<FileTime> modified = modified();
        if (modified.isEmpty()) {
            if (loaded != null) log.info("Shifts file {} removed: every dispatcher is on shift", file);
            loaded = null;
            return Optional.empty();
        }
        if (loaded == null || !loaded.modified().equals(modified.get())) {
            try {
                loaded = new Loaded(modified.get(), read());
                log.info("Dispatcher shifts read again from {}", file);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                log.error("Shifts file {} not read, the shifts read before stay: {}", file, e.getMessage());
                if (loaded == null) return Optional.empty();
                loaded = new Loaded(modified.get(), loaded.rules());
            }
        }
        return Optional.of(loaded.rules().onShift(now));
    }

    private ShiftRules read() {
        try {
            return ShiftRules.parse(Files.readAllLines(file, StandardCharsets.UTF_8), platform.timeZone());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Optional<FileTime> modified() {
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.getLastModifiedTime(file)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
