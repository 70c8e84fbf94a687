package dispatch.incident;

import dispatch.platform.HealthProperties;
import dispatch.platform.StageState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.Timestamp;
import java.time.Clock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Health "threading": DOWN when mail has waited for threading (in the queue or for a retry) longer than
 * {@code DISPATCH_HEALTH_STALLAFTER} while no mail was threaded; the number of parked mails as a detail (they are
 * alerted on their own).
 */
@Component("threadingHealthIndicator")
class ThreadingHealth implements HealthIndicator {

    private final JdbcClient jdbc;
    private final Threading threading;
    private final ThreadingFailures failures;
    private final HealthProperties settings;
    private final Clock clock;

    ThreadingHealth(
            JdbcClient jdbc,
            Threading threading,
            ThreadingFailures failures,
            HealthProperties settings,
            Clock clock,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.threading = threading;
        this.failures = failures;
        this.settings = settings;
        this.clock = clock;
        StageState.gauges(meters, Tags.of("stage", "threading"), this::state, clock);
        Gauge.builder("dispatch.threading.parked", failures::parked)
                .description("Mails threading parked; they wait for a person")
                .register(meters);
        // At zero from the start, so the first failure shows as an increase (a series born at 1 has none).
        for (String outcome : new String[] {"retry", "parked"})
            meters.counter("dispatch.threading.failures", "outcome", outcome);
    }

    @Override
    public Health health() {
        long parked = failures.parked();
        Health.Builder health = state().health("mails waiting for threading", clock.instant(), settings.stallAfter());
        health.withDetail("parked", parked);
        if (parked > 0) health.withDetail("parkedList", "GET /api/v1/admin/mail/parked");
        return health.build();
    }

    /** Mail in the queue, and mail waiting for a retry after a database error. */
    StageState state() {
        return jdbc.sql("""
                        select sum(n), min(oldest) from (
                            select count(*) as n, min(stored_at) as oldest from email_message
                             where match_method is null
                            union all
                            select count(*), min(m.stored_at) from threading_failure f
                              join email_message m on m.id = f.email_message_id
                             where f.state = 'RETRY' and m.match_method = 'RETRY') q
                        """)
                .query((rs, n) -> {
                    Timestamp oldest = rs.getTimestamp(2);
                    return new StageState(
                            rs.getLong(1), oldest == null ? null : oldest.toInstant(), threading.lastProgress());
                })
                .single();
    }
}
