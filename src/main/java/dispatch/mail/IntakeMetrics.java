package dispatch.mail;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;

/** The intake's counters, tagged by account and folder. */
final class IntakeMetrics {

    private final MeterRegistry meters;

    IntakeMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    void stored(FolderRef folder, ParsedMail mail) {
        meters.counter(
                        "dispatch.mail.stored",
                        "account",
                        folder.account(),
                        "folder",
                        folder.role().name(),
                        "origin",
                        mail.classification().origin().name(),
                        "auto",
                        mail.classification().autoKind().name())
                .increment();
    }

    void quarantined(FolderRef folder, int count) {
        meters.counter(
                        "dispatch.mail.quarantined",
                        "account",
                        folder.account(),
                        "folder",
                        folder.role().name())
                .increment(count);
    }

    void folderFailed(String account, FolderRole role) {
        meters.counter("dispatch.mail.folder.failures", "account", account, "folder", role.name())
                .increment();
    }

    void lag(Instant internalDate, Instant now) {
        Timer.builder("dispatch.mail.ingest.lag")
                .description("Delivery to the mailbox until stored")
                .register(meters)
                .record(Duration.between(internalDate, now).abs());
    }
}
