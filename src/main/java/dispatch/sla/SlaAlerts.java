package dispatch.sla;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells when an SLA is about to break and when it broke (docs/sla.md, "SLA alerts"): for open incidents of types with
 * {@code incident_type.sla_alerts}, once per incident and kind. The claim is a row of {@code sla_alert} inserted in
 * the same transaction as the alert it raises ({@link SlaAlertDue}), so restarts and a second instance never tell it
 * again. A boundary first seen more than {@link #STALE} late (alerts just switched on for a type with old open
 * incidents, a long outage) is recorded without telling, so switching alerts on does not flood the chat.
 */
@Component
public class SlaAlerts {

    static final Duration STALE = Duration.ofDays(1);

    private record Claimed(
            long incidentId,
            boolean breach,
            Instant deadline,
            Instant boundary,
            String code,
            String trackerKey,
            String type) {}

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    SlaAlerts(JdbcClient jdbc, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 60_000, initialDelay = 60_000)
    @SchedulerLock(name = "sla-alerts")
    void scheduled() {
        checkOnce();
    }

    /** Claims and raises the alerts due now; returns how many were raised. */
    @Transactional
    public int checkOnce() {
        Instant now = clock.instant();
        List<Claimed> claimed = jdbc.sql("""
                        with claimed as (
                            insert into sla_alert (incident_id, kind, deadline)
                            select i.id, k.kind, d.at
                            from incident i
                            join incident_type t on t.id = i.type_id
                            cross join lateral (select incident_sla_deadline(i.incident_at, t.sla_minutes,
                                                                             i.sla_deadline, i.sla_paused) as at) d
                            cross join lateral (values ('WARNING', d.at - make_interval(secs => :warning)),
                                                       ('BREACHED', d.at)) k(kind, at)
                            where t.sla_alerts and i.finished_at is null and d.at is not null
                              and (k.at < :now or (k.kind = 'WARNING' and k.at = :now))
                            on conflict do nothing
                            returning incident_id, kind, deadline)
                        select c.incident_id, c.kind, c.deadline, i.code, i.tracker_key, t.name,
                               case c.kind when 'WARNING' then c.deadline - make_interval(secs => :warning)
                                           else c.deadline end as boundary
                        from claimed c join incident i on i.id = c.incident_id
                        left join incident_type t on t.id = i.type_id
                        order by c.incident_id, c.kind""")
                .param("now", Timestamp.from(now))
                .param("warning", Sla.WARNING.toSeconds())
                .query((rs, n) -> new Claimed(
                        rs.getLong("incident_id"),
                        "BREACHED".equals(rs.getString("kind")),
                        rs.getTimestamp("deadline").toInstant(),
                        rs.getTimestamp("boundary").toInstant(),
                        rs.getString("code"),
                        rs.getString("tracker_key"),
                        rs.getString("name")))
                .list();
        Set<Long> breached = new HashSet<>();
        claimed.stream().filter(Claimed::breach).forEach(c -> breached.add(c.incidentId()));
        int raised = 0;
        for (Claimed c : claimed) {
            boolean isBreach = c.breach();
            // First seen already broken: the breach says it all. Long overdue: recorded, not told.
            if (!isBreach && breached.contains(c.incidentId())) continue;
            if (c.boundary().plus(STALE).isBefore(now)) continue;
            events.publishEvent(
                    new SlaAlertDue(c.incidentId(), c.code(), c.trackerKey(), c.type(), c.deadline(), isBreach));
            raised++;
        }
        return raised;
    }
}
