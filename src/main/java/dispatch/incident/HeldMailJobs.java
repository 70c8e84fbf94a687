package dispatch.incident;

import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Releases held mail whose window has passed, and threads it. */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class HeldMailJobs {

    private final HeldMail heldMail;
    private final Threading threading;

    HeldMailJobs(HeldMail heldMail, Threading threading) {
        this.heldMail = heldMail;
        this.threading = threading;
    }

    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    @SchedulerLock(name = "incident-held-mail-release")
    void releaseDue() {
        if (heldMail.releaseDue() > 0) threading.threadPending();
    }
}
