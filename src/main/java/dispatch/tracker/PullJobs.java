package dispatch.tracker;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Pulls changed issues every {@code DISPATCH_TRACKER_POLLINTERVAL}; the pull itself runs the full sweep when
 * {@code DISPATCH_TRACKER_FULLSWEEPINTERVAL} has passed. One lock, so instances never reconcile side by side.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class PullJobs {

    private static final Logger log = LoggerFactory.getLogger(PullJobs.class);

    private final TrackerPull pull;

    PullJobs(TrackerPull pull) {
        this.pull = pull;
    }

    @Scheduled(
            fixedDelayString = "${dispatch.tracker.poll-interval:10s}",
            initialDelayString = "${dispatch.tracker.poll-interval:10s}")
    @SchedulerLock(name = "tracker-pull")
    void pull() {
        try {
            pull.pullOnce();
        } catch (TrackerException e) {
            // Tracker unreachable or refusing: the health check and the client's circuit breaker say so; retry later.
            log.warn("Tracker pull skipped: {}", e.getMessage());
        } catch (RuntimeException e) {
            log.error("Tracker pull failed; trying again in the next cycle", e);
        }
    }
}
