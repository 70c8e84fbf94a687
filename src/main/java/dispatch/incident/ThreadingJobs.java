package dispatch.incident;

import dispatch.mail.MailReceived;
import jakarta.annotation.PreDestroy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Threads new mail right after intake commits it, and sweeps every few seconds for anything left waiting. New mail
 * is threaded on a thread of its own, never on intake's: a stuck threading must not stop intake (decision 0014).
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
class ThreadingJobs {

    private static final Logger log = LoggerFactory.getLogger(ThreadingJobs.class);

    private final Threading threading;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "threading");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean queued = new AtomicBoolean();

    ThreadingJobs(Threading threading) {
        this.threading = threading;
    }

    /** At most one round waits behind the running one: it threads whatever arrived meanwhile. */
    @TransactionalEventListener
    void onMailReceived(MailReceived event) {
        if (queued.compareAndSet(false, true)) {
            worker.execute(() -> {
                queued.set(false);
                try {
                    threading.threadPending();
                } catch (RuntimeException e) {
                    log.warn("Threading round failed, the sweep tries again: {}", e.toString());
                }
            });
        }
    }

    @Scheduled(fixedDelayString = "${dispatch.incident.sweep-interval:10s}")
    // The advisory lock serialises threading itself; this only spares a second instance the same sweep.
    @SchedulerLock(name = "incident-threading-sweep")
    void sweep() {
        threading.threadPending();
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }
}
