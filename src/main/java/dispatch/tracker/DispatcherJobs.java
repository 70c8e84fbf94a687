package dispatch.tracker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Checks the dispatchers against Tracker's users shortly after start-up and then hourly. Every instance checks for
 * itself (its health shows what it found); the database change is the same from each, so no lock.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class DispatcherJobs {

    private static final Logger log = LoggerFactory.getLogger(DispatcherJobs.class);

    private final DispatcherDirectory directory;

    DispatcherJobs(DispatcherDirectory directory) {
        this.directory = directory;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT15S")
    void refresh() {
        try {
            directory.refresh();
        } catch (TrackerException e) {
            log.warn("Dispatchers not checked against Tracker's users, the last check stays: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("Dispatchers not checked against Tracker's users", e);
        }
    }
}
