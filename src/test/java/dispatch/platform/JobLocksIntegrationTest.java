package dispatch.platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import dispatch.standin.DispatchIntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A job's lock after its instance was killed, and while a slow run goes on, as another instance sees it: the killed
 * holder's lock is free within about a minute, the live one's is never taken however long its run lasts.
 */
@DispatchIntegrationTest
class JobLocksIntegrationTest {

    private static final Duration LEASE = Duration.parse(JobLocks.LEASE);

    @Autowired
    LockProvider locks;

    @Autowired
    DataSource dataSource;

    @Test
    void aKilledInstancesLockIsFreeWithinAMinuteWhileALiveSlowRunKeepsItsLockPastItsLease() throws Exception {
        JobLocks killed = new JobLocks(dataSource);
        killed.lock(job("job-of-the-killed")).orElseThrow();
        killed.close(); // SIGKILL: nothing renews the lock and nothing releases it
        try (JobLocks slow = new JobLocks(dataSource)) {
            SimpleLock running = slow.lock(job("slow-job")).orElseThrow();
            long start = System.nanoTime();
            Duration freed = null;
            Duration lastRefused = Duration.ZERO;
            // Past the lease by half of it: a run of the slow job here would run it twice.
            while (elapsed(start).compareTo(LEASE.plus(LEASE.dividedBy(2))) < 0 || freed == null) {
                assertThat(locks.lock(job("slow-job")))
                        .as("the slow job's lock after %s", elapsed(start))
                        .isEmpty();
                lastRefused = elapsed(start);
                if (freed == null) {
                    Optional<SimpleLock> taken = locks.lock(job("job-of-the-killed"));
                    if (taken.isPresent()) {
                        freed = elapsed(start);
                        taken.get().unlock();
                    } else {
                        assertThat(elapsed(start))
                                .as("time the killed instance's lock stays taken")
                                .isLessThan(Duration.ofSeconds(90));
                    }
                }
                Thread.sleep(1000);
            }
            assertThat(freed).isBetween(LEASE.minusSeconds(10), Duration.ofSeconds(90));
            assertThat(lastRefused)
                    .as("the slow run kept its lock past its lease")
                    .isGreaterThan(LEASE.plusSeconds(20));
            running.unlock();
            assertThat(locks.lock(job("slow-job")))
                    .as("free once the slow run ends")
                    .isPresent();
        }
    }

    @Test
    void noJobSetsALeaseOfItsOwn() {
        methods()
                .that()
                .areAnnotatedWith(SchedulerLock.class)
                .should(new ArchCondition<JavaMethod>("leave lockAtMostFor to JobLocks.LEASE") {
                    @Override
                    public void check(JavaMethod method, ConditionEvents events) {
                        String own =
                                method.getAnnotationOfType(SchedulerLock.class).lockAtMostFor();
                        events.add(new SimpleConditionEvent(
                                method, own.isEmpty(), method.getFullName() + " sets lockAtMostFor " + own));
                    }
                })
                .check(new ClassFileImporter()
                        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("dispatch"));
    }

    private static LockConfiguration job(String name) {
        return new LockConfiguration(Instant.now(), name, LEASE, Duration.ZERO);
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
