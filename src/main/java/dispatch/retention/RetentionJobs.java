package dispatch.retention;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The daily retention run, on one instance at a time. */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class RetentionJobs {

    private final Retention retention;

    RetentionJobs(Retention retention) {
        this.retention = retention;
    }

    @Scheduled(cron = "${dispatch.retention.cron:0 40 3 * * *}")
    @SchedulerLock(name = "retention")
    void daily() {
        retention.runOnce();
    }
}
