package dispatch.incident;

import dispatch.mail.MailReceived;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/** Threads new mail right after intake commits it, and sweeps every few seconds for anything left waiting. */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class ThreadingJobs {

    private final Threading threading;

    ThreadingJobs(Threading threading) {
        this.threading = threading;
    }

    @TransactionalEventListener
    void onMailReceived(MailReceived event) {
        threading.threadPending();
    }

    @Scheduled(fixedDelayString = "${dispatch.incident.sweep-interval:10s}")
    @SchedulerLock(name = "incident-threading-sweep", lockAtMostFor = "PT10M")
    void sweep() {
        threading.threadPending();
    }
}
