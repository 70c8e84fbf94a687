package dispatch.platform;

import java.time.Clock;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.validation.Validator;

@Configuration(proxyBeanMethods = false)
class PlatformConfiguration {

    /** The name is Spring Boot's hook for validating every {@code @ConfigurationProperties} record. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Validator configurationPropertiesValidator() {
        return new FeatureSettingsValidator();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    LockProvider lockProvider(DataSource dataSource) {
        return new JobLocks(dataSource);
    }

    /**
     * Background jobs; {@code DISPATCH_SCHEDULINGENABLED=false} leaves them to be driven by hand (tests). Each job
     * has a thread of its own: the pool is sized to the number of scheduled jobs, and a job runs at most once at a
     * time, so a stuck stage (threading on a lock, a hung Tracker call) cannot delay intake, the outbox or the alerts
     * (decision 0014).
     */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @EnableSchedulerLock(defaultLockAtMostFor = JobLocks.LEASE)
    @ConditionalOnBooleanProperty(name = "dispatch.scheduling-enabled", matchIfMissing = true)
    static class Scheduling implements SchedulingConfigurer, DisposableBean {

        private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            int jobs = registrar.getCronTaskList().size()
                    + registrar.getFixedDelayTaskList().size()
                    + registrar.getFixedRateTaskList().size()
                    + registrar.getTriggerTaskList().size();
            scheduler.setPoolSize(jobs + 1);
            scheduler.setThreadNamePrefix("job-");
            scheduler.initialize();
            registrar.setTaskScheduler(scheduler);
        }

        @Override
        public void destroy() {
            scheduler.shutdown();
        }
    }
}
