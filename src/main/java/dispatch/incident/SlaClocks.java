package dispatch.incident;

import dispatch.sla.Sla;
import dispatch.sla.SlaCalendars;
import dispatch.sla.WorkCalendar;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code incident.sla_deadline} and {@code sla_paused} (V84) for incidents whose type has a business calendar or
 * pause statuses (docs/sla.md, "SLA clock"): pauses open and close with the Tracker status, and the deadline is
 * computed again on every change. At start-up every type's calendar must exist, and open incidents are computed again
 * (a calendar or a type may have changed).
 */
@Component
class SlaClocks implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(SlaClocks.class);

    /** The SLA clock settings of an incident's type, and what is stored now. */
    private record Row(
            Instant incidentAt,
            @Nullable Instant finishedAt,
            @Nullable Integer minutes,
            @Nullable String calendar,
            List<String> pauseStatuses,
            @Nullable Instant deadline,
            boolean paused) {

        boolean clocked() {
            return calendar != null || !pauseStatuses.isEmpty();
        }
    }

    private final JdbcClient jdbc;
    private final SlaCalendars calendars;

    SlaClocks(JdbcClient jdbc, SlaCalendars calendars) {
        this.jdbc = jdbc;
        this.calendars = calendars;
    }

    @Override
    public void afterSingletonsInstantiated() {
        jdbc.sql("select name, sla_calendar from incident_type where sla_calendar is not null")
                .query((rs, n) -> {
                    String calendar = rs.getString("sla_calendar");
                    if (calendars.byName(calendar).isEmpty()) {
                        throw new IllegalStateException("Incident type '" + rs.getString("name")
                                + "' names the SLA calendar '" + calendar + "', but " + calendars.file(calendar)
                                + " does not exist");
                    }
                    return calendar;
                })
                .list();
        int changed = 0;
        for (long id : jdbc.sql("""
                        select i.id from incident i left join incident_type t on t.id = i.type_id
                        where i.finished_at is null
                          and (t.sla_calendar is not null or cardinality(t.sla_pause_statuses) > 0
                               or i.sla_deadline is not null or i.sla_paused)
                        order by i.id""").query(Long.class).list()) {
            if (refresh(id)) changed++;
        }
        if (changed > 0) log.info("SLA deadlines of {} open incident(s) computed again at start-up", changed);
    }

    /**
     * The issue is in Tracker status {@code statusKey} since {@code since}: a pause opens when that is one of the
     * type's pause statuses and the incident is open, and the open pause closes otherwise. True when anything changed.
     */
    boolean trackerStatus(long id, String statusKey, Instant since) {
        Optional<Row> row = row(id);
        if (row.isEmpty()) return false;
        boolean pausing =
                row.get().finishedAt() == null && row.get().pauseStatuses().contains(statusKey);
        boolean changed = pausing
                ? jdbc.sql("""
                                insert into incident_sla_pause (incident_id, paused_at)
                                select i.id, greatest(:since, i.incident_at) from incident i where i.id = :id
                                on conflict (incident_id) where resumed_at is null do nothing""")
                                .param("id", id)
                                .param("since", Timestamp.from(since))
                                .update()
                        == 1
                : resume(id, since);
        return refresh(id) || changed;
    }

    /** Closes the open pause, if any, at {@code at} (not before it began). */
    boolean resume(long id, Instant at) {
        return jdbc.sql("""
                        update incident_sla_pause set resumed_at = greatest(:at, paused_at)
                        where incident_id = :id and resumed_at is null""").param("id", id).param("at", Timestamp.from(at)).update() == 1;
    }

    /** Computes the deadline again and stores it when it differs; true when it did. */
    boolean refresh(long id) {
        Optional<Row> found = row(id);
        if (found.isEmpty()) return false;
        Row row = found.get();
        Sla.Clocked clocked = row.clocked()
                ? Sla.deadline(row.incidentAt(), row.minutes(), calendar(row.calendar()), pauses(id))
                : new Sla.Clocked(null, false);
        if (Objects.equals(clocked.deadline(), row.deadline()) && clocked.paused() == row.paused()) return false;
        return jdbc.sql("""
                        update incident set sla_deadline = :deadline, sla_paused = :paused, updated_at = now(),
                            version = version + 1
                        where id = :id""")
                        .param("id", id)
                        .param("deadline", clocked.deadline() == null ? null : Timestamp.from(clocked.deadline()))
                        .param("paused", clocked.paused())
                        .update()
                == 1;
    }

    private @Nullable WorkCalendar calendar(@Nullable String name) {
        if (name == null) return null;
        Optional<WorkCalendar> calendar = calendars.byName(name);
        if (calendar.isEmpty()) {
            log.error("SLA calendar '{}' is not there ({}): the wall clock counts instead", name, calendars.file(name));
        }
        return calendar.orElse(null);
    }

    private List<Sla.Pause> pauses(long id) {
        return jdbc.sql(
                        "select paused_at, resumed_at from incident_sla_pause where incident_id = :id order by paused_at")
                .param("id", id)
                .query((rs, n) ->
                        new Sla.Pause(rs.getTimestamp("paused_at").toInstant(), instant(rs.getTimestamp("resumed_at"))))
                .list();
    }

    private Optional<Row> row(long id) {
        return jdbc.sql("""
                        select i.incident_at, i.finished_at, i.sla_deadline, i.sla_paused, t.sla_minutes,
                               t.sla_calendar, t.sla_pause_statuses
                        from incident i left join incident_type t on t.id = i.type_id
                        where i.id = :id""")
                .param("id", id)
                .query((rs, n) -> new Row(
                        rs.getTimestamp("incident_at").toInstant(),
                        instant(rs.getTimestamp("finished_at")),
                        rs.getObject("sla_minutes", Integer.class),
                        rs.getString("sla_calendar"),
                        strings(rs.getArray("sla_pause_statuses")),
                        instant(rs.getTimestamp("sla_deadline")),
                        rs.getBoolean("sla_paused")))
                .optional();
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
