package dispatch.backup;

import dispatch.platform.DispatchProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health "backup": DOWN when the backup service's last run failed, when its last good dump is older than
 * {@code DISPATCH_BACKUP_MAXAGE}, or when none came that long after start; the alerts tell on-call admins from there.
 * The status file is one line, {@code ok <epoch> <file>} or {@code failed <epoch> <reason>} (scripts/backup.sh).
 */
@Component("backupHealthIndicator")
@ConditionalOnBooleanProperty("dispatch.backup.enabled")
class BackupHealth implements HealthIndicator {

    private static final int MAX_STATUS = 2_000;

    private final Path status;
    private final Duration maxAge;
    private final Clock clock;
    private final Instant startedAt;

    BackupHealth(DispatchProperties dispatch, BackupProperties settings, Clock clock) {
        this.status = dispatch.dataDirectory().resolve("backups").resolve("status");
        this.maxAge = settings.maxAge();
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        String line;
        try {
            byte[] bytes = Files.readAllBytes(status);
            line = new String(bytes, 0, Math.min(bytes.length, MAX_STATUS), StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return startedAt.plus(maxAge).isAfter(now)
                    ? Health.up().withDetail("last", "none yet").build()
                    : Health.down()
                            .withDetail("reason", "no backup reported in " + status + " since start")
                            .build();
        } catch (IOException e) {
            return Health.down()
                    .withDetail("reason", "cannot read " + status + ": " + e.getMessage())
                    .build();
        }
        String[] parts = line.split(" ", 3);
        Instant at;
        try {
            at = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        } catch (RuntimeException e) {
            return Health.down()
                    .withDetail("reason", "unreadable backup status: " + line)
                    .build();
        }
        String what = parts.length > 2 ? parts[2] : "";
        if (!parts[0].equals("ok")) {
            return Health.down()
                    .withDetail("reason", "backup failed at " + at + ": " + what)
                    .build();
        }
        Duration age = Duration.between(at, now);
        if (age.compareTo(maxAge) > 0) {
            return Health.down()
                    .withDetail("reason", "last good backup " + what + " is " + age.toHours() + " h old")
                    .build();
        }
        return Health.up()
                .withDetail("last", what)
                .withDetail("at", at.toString())
                .build();
    }
}
