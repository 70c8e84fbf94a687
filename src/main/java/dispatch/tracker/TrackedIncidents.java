package dispatch.tracker;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The incidents the pull looks at besides the issues Tracker reports changed. */
@Repository
class TrackedIncidents {

    private final JdbcClient jdbc;

    TrackedIncidents(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Tracker keys of the incidents that are open in the database. */
    List<String> openTrackerKeys() {
        return jdbc.sql("select tracker_key from incident where finished_at is null and tracker_key is not null")
                .query(String.class)
                .list();
    }

    /**
     * Tracker keys of open incidents whose SLA status changes by itself (the deadline in effect, V84) (when less than {@code warning} is left, and
     * just after the deadline) in {@code (from, to]}.
     */
    List<String> slaStatusChangedKeys(Instant from, Instant to, Duration warning) {
        return jdbc.sql("""
                        select i.tracker_key
                          from incident i join incident_type t on t.id = i.type_id
                          cross join lateral (select incident_sla_deadline(i.incident_at, t.sla_minutes,
                                                                           i.sla_deadline, i.sla_paused) as at) d
                         where i.finished_at is null and i.tracker_key is not null and d.at is not null
                           and exists (select 1 from (values
                                   (d.at - make_interval(secs => :warning)),
                                   (d.at + interval '1 millisecond')) b(at)
                                 where b.at > :from and b.at <= :to)
                        """)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("warning", warning.toSeconds())
                .query(String.class)
                .list();
    }
}
