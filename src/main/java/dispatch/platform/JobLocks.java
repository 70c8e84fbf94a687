package dispatch.platform;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The scheduler locks of the background jobs (docs/decisions/0025), in the {@code shedlock} table: a short lease that
 * the live holder renews every half lease while its job runs, so a slow run keeps its lock however long it takes, and
 * a killed instance's lock is free again within one lease. A {@code @SchedulerLock} names its lock and leaves the
 * lease to {@link #LEASE}.
 */
final class JobLocks implements LockProvider, AutoCloseable {

    /** How long a lock outlives its holder's last renewal: the longest a SIGKILL holds a job back. */
    static final String LEASE = "PT1M";

    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-lock-renewal");
        t.setDaemon(true);
        return t;
    });
    private final LockProvider locks;

    JobLocks(DataSource dataSource) {
        // Database time, so instances with skewed clocks still agree on who holds a lock.
        this.locks = new KeepAliveLockProvider(
                new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                        .withJdbcTemplate(new JdbcTemplate(dataSource))
                        .usingDbTime()
                        .build()),
                renewals);
    }

    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        return locks.lock(configuration);
    }

    /** Stops renewing; a lock still held runs out with its lease. */
    @Override
    public void close() {
        renewals.shutdownNow();
    }
}
