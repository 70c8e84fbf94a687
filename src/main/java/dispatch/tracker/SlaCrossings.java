package dispatch.tracker;

import dispatch.platform.Outbox;
import dispatch.platform.OutboxMessage;
import dispatch.sla.Sla;
import dispatch.sla.SlaStatus;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps the SLA status field current while nothing else happens to an issue: when an open incident's status turns
 * "less than an hour" or "expired" with time alone, its issue's field is updated through the outbox (in order with
 * the incident's other Tracker work). The checked-up-to time is kept in {@code sync_state}, so a crossing during a
 * restart is still written.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class SlaCrossings extends TrackerWork {

    static final String KIND = "tracker.sla-status";
    private static final String CHECKED = "tracker.sla.checked-until";

    private final JdbcClient jdbc;
    private final Outbox outbox;
    private final IncidentSnapshots incidents;
    private final TrackerClient client;
    private final IssueFields fields;
    private final Clock clock;

    SlaCrossings(
            JdbcClient jdbc,
            Outbox outbox,
            IncidentSnapshots incidents,
            TrackerClient client,
            IssueFields fields,
            Clock clock) {
        this.jdbc = jdbc;
        this.outbox = outbox;
        this.incidents = incidents;
        this.client = client;
        this.fields = fields;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 20_000)
    @SchedulerLock(name = "tracker-sla-crossings", lockAtMostFor = "PT5M")
    void scheduled() {
        enqueueCrossings();
    }

    /** Finds open incidents whose SLA status changed with time since the last check; returns how many. */
    @Transactional
    int enqueueCrossings() {
        Instant now = clock.instant();
        Instant since = jdbc.sql("select (value ->> 'at')::timestamptz from sync_state where key = :key for update")
                .param("key", CHECKED)
                .query(Timestamp.class)
                .optional()
                .map(Timestamp::toInstant)
                .orElse(now.minus(Duration.ofDays(1)));
        var crossings = jdbc.sql("""
                        select i.id, i.incident_at + make_interval(mins => t.sla_minutes) as deadline
                          from incident i join incident_type t on t.id = i.type_id
                         where i.finished_at is null and i.tracker_key is not null and t.sla_minutes is not null
                           and i.incident_at + make_interval(mins => t.sla_minutes) - interval '1 hour' <= :now
                           and i.incident_at + make_interval(mins => t.sla_minutes) >= cast(:since as timestamptz) - interval '1 second'
                        """)
                .param("now", Timestamp.from(now))
                .param("since", Timestamp.from(since))
                .query((rs, n) -> Map.entry(rs.getLong(1), rs.getTimestamp(2).toInstant()))
                .list();
        int enqueued = 0;
        for (var crossing : crossings) {
            Instant deadline = crossing.getValue();
            SlaStatus before = Sla.status(deadline, null, since);
            SlaStatus after = Sla.status(deadline, null, now);
            if (before != after
                    && outbox.enqueue(
                            KIND,
                            KIND + ":" + crossing.getKey() + ":" + after + ":" + deadline.toEpochMilli(),
                            PushTriggers.orderingKey(crossing.getKey()),
                            Map.of("incident", crossing.getKey()))) {
                enqueued++;
            }
        }
        jdbc.sql("""
                        insert into sync_state (key, value, updated_at) values (:key, cast(:value as jsonb), now())
                        on conflict (key) do update set value = excluded.value, updated_at = now()
                        """)
                .param("key", CHECKED)
                .param("value", "{\"at\":\"" + now + "\"}")
                .update();
        return enqueued;
    }

    @Override
    public String kind() {
        return KIND;
    }

    /** Writes the status as it is when delivered (it may have moved on since the crossing was found). */
    @Override
    void deliver(OutboxMessage message) {
        incidents.byId(message.payload().get("incident").asLong()).ifPresent(incident -> {
            if (incident.trackerKey() != null) {
                client.patch(
                        incident.trackerKey(),
                        Map.of(
                                fields.keys().slaStatus(),
                                incident.slaStatus(clock.instant()).text()));
            }
        });
    }
}
