package dispatch.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.DispatchProperties;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/** What health "backup" makes of the status line scripts/backup.sh writes (and of its absence). */
class BackupHealthTest {

    private static final Instant START = Instant.parse("2026-12-06T00:00:00Z");

    @TempDir
    Path data;

    @Test
    void aRecentGoodDumpIsUpAndNamesIt() throws Exception {
        write("ok " + START.minus(Duration.ofHours(2)).getEpochSecond() + " dispatch-20261205T220000Z.dump");

        Health health = health(START);

        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("last", "dispatch-20261205T220000Z.dump");
    }

    @Test
    void aFailedRunIsDownWithTheReason() throws Exception {
        write("failed " + START.getEpochSecond() + " pg_dump: connection to server at \"db\" failed");

        Health health = health(START);

        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails().get("reason").toString()).contains("backup failed", "connection to server");
    }

    @Test
    void aGoodDumpOlderThanTheMaximumAgeIsDown() throws Exception {
        write("ok " + START.minus(Duration.ofHours(14)).getEpochSecond() + " dispatch-old.dump");

        assertThat(health(START).getStatus()).isEqualTo(Status.DOWN);
        assertThat(health(START).getDetails().get("reason").toString()).contains("14 h old");
    }

    @Test
    void noStatusIsFineRightAfterStartButDownOnceABackupShouldHaveCome() {
        var backup = new BackupHealth(settings(), new BackupProperties(true, Duration.ofHours(13)), clockAt(START));

        assertThat(backup.health().getStatus()).isEqualTo(Status.UP);

        var later = new MovableClock(START);
        var watched = new BackupHealth(settings(), new BackupProperties(true, Duration.ofHours(13)), later);
        later.now = START.plus(Duration.ofHours(14));
        assertThat(watched.health().getStatus()).isEqualTo(Status.DOWN);
    }

    @Test
    void garbageInTheStatusFileIsDownNotAnError() throws Exception {
        write("\u0000\u0001 not a status");

        assertThat(health(START).getStatus()).isEqualTo(Status.DOWN);
        write("x".repeat(100_000));
        assertThat(health(START).getDetails().get("reason").toString()).hasSizeLessThan(2_100);
    }

    private Health health(Instant now) {
        return new BackupHealth(settings(), new BackupProperties(true, Duration.ofHours(13)), clockAt(now)).health();
    }

    private DispatchProperties settings() {
        return new DispatchProperties("test", ZoneId.of("Europe/Moscow"), data, false);
    }

    private void write(String line) throws Exception {
        Files.createDirectories(data.resolve("backups"));
        Files.writeString(data.resolve("backups/status"), line + "\n");
    }

    private static Clock clockAt(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    private static final class MovableClock extends Clock {
        Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
