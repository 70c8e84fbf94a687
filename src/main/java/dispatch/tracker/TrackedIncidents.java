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
     * Tracker keys of open incidents whose SLA status changes by itself (when less than {@code warning} is left, and
     * just after the deadline) in {@code (from, to]}.
     */
    List<String> slaStatusChangedKeys(Instant from, Instant to, Duration warning) {
        return jdbc.sql("""
                        select i.tracker_key from incident i join incident_type t on t.id = i.type_id
                         where i.finished_at is null and i.tracker_key is not null and t.sla_minutes is not null
                           and exists (select 1 from (values
                                   (i.incident_at + make_interval(mins => t.sla_minutes) - make_interval(secs => :warning)),
                                   (i.incident_at + make_interval(mins => t.sla_minutes) + interval '1 millisecond')) b(at)
                                 where b.at > :from and b.at <= :to)
                        """)
                .param("from", Timestamp.from(from))
                .param("to", Timestamp.from(to))
                .param("warning", warning.toSeconds())
                .query(String.class)
                .list();
    }
}
