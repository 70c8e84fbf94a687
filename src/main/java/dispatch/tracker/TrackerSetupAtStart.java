package dispatch.tracker;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Runs {@code tracker-setup --check} once when the service has started (not in the commands): one log line per
 * finding, and the findings in health {@code tracker} (details for admins). Tracker not answering is one line too.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class TrackerSetupAtStart {

    private static final Logger log = LoggerFactory.getLogger(TrackerSetupAtStart.class);

    private final TrackerSetup setup;
    private final AtomicReference<List<String>> findings = new AtomicReference<>(List.of());

    TrackerSetupAtStart(TrackerSetup setup) {
        this.setup = setup;
    }

    @EventListener
    void started(ApplicationReadyEvent event) {
        if (event.getApplicationContext() instanceof WebServerApplicationContext) checkOnce();
    }

    void checkOnce() {
        try {
            List<String> found =
                    setup.check().stream().map(TrackerSetup.Finding::text).toList();
            found.forEach(f -> log.warn("Tracker setup: {} (run tracker-setup --check)", f));
            findings.set(found);
        } catch (RuntimeException e) {
            log.warn("Tracker setup could not be checked: {}", e.toString());
            findings.set(List.of("could not be checked: " + e.getMessage()));
        }
    }

    /** What the last check found; empty when everything was there (or no check ran yet). */
    List<String> findings() {
        return findings.get();
    }
}
