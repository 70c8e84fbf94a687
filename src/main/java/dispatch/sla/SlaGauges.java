package dispatch.sla;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@code dispatch_sla_open_incidents{status}}: open incidents by SLA status, computed with {@link Sla} itself so the
 * metric and Tracker's SLA field never disagree. One query per scrape interval at most, shared by the five series.
 */
@Component
class SlaGauges {

    private static final Duration FRESH = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private final Clock clock;
    private Instant countedAt = Instant.MIN;
    private Map<SlaStatus, Long> counts = Map.of();

    SlaGauges(JdbcClient jdbc, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.clock = clock;
        for (SlaStatus status : SlaStatus.values()) {
            if (status == SlaStatus.CLOSED_ON_TIME) continue; // an open incident is never closed on time
            Gauge.builder("dispatch.sla.open.incidents", () -> counts().getOrDefault(status, 0L))
                    .tag("status", status.name().toLowerCase(Locale.ROOT))
                    .description("Open incidents by SLA status (expired: past the deadline; paused: the clock stands"
                            + " still)")
                    .register(meters);
        }
    }

    private synchronized Map<SlaStatus, Long> counts() {
        Instant now = clock.instant();
        if (countedAt.plus(FRESH).isAfter(now)) return counts;
        Map<SlaStatus, Long> fresh = new EnumMap<>(SlaStatus.class);
        jdbc.sql("""
                        select incident_sla_deadline(i.incident_at, t.sla_minutes, i.sla_deadline, i.sla_paused)
                                   as deadline, i.sla_paused
                        from incident i left join incident_type t on t.id = i.type_id
                        where i.finished_at is null""")
                .query((rs, n) -> {
                    Timestamp deadline = rs.getTimestamp("deadline");
                    return new Sla.Clocked(deadline == null ? null : deadline.toInstant(), rs.getBoolean("sla_paused"))
                            .status(null, now);
                })
                .list()
                .forEach(status -> fresh.merge(status, 1L, Long::sum));
        counts = fresh;
        countedAt = now;
        return counts;
    }
}
