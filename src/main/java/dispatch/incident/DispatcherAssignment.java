package dispatch.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Picks the dispatcher for a new incident: among the active dispatchers whose login Tracker knows, those on shift
 * ({@link Shifts}) first, the one with the fewest open incidents created within the assignment window; ties go to the
 * one assigned least recently, then by login. With nobody on shift, the least loaded known dispatcher. Deterministic,
 * unlike the old random tie-break (docs/dispatchers.md).
 */
@Component
class DispatcherAssignment {

    private static final Logger log = LoggerFactory.getLogger(DispatcherAssignment.class);

    private final JdbcClient jdbc;
    private final IncidentProperties settings;
    private final Clock clock;
    private final Shifts shifts;

    DispatcherAssignment(JdbcClient jdbc, IncidentProperties settings, Clock clock, Shifts shifts) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
        this.shifts = shifts;
    }

    /** The configured logins become the active dispatchers; everyone else is deactivated (history is kept). */
    @EventListener(ApplicationReadyEvent.class)
    void syncDispatchers() {
        List<String> logins = settings.dispatchers().stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        for (String login : logins) {
            jdbc.sql("insert into dispatcher (login) values (:login) on conflict (login) do update set active = true")
                    .param("login", login)
                    .update();
        }
        jdbc.sql("update dispatcher set active = false where not (login = any(:logins))")
                .param("logins", logins.toArray(String[]::new))
                .update();
        log.info("Dispatchers who get new incidents: {}", logins.isEmpty() ? "none configured" : logins);
    }

    /**
     * An incident opened now: the time the assignment records, where the window of open incidents starts, and the
     * logins (lower case) on shift, null without a shifts file.
     */
    record Window(Instant now, Instant since, String @Nullable [] onShift) {}

    Window window() {
        Instant now = clock.instant();
        String[] onShift =
                shifts.onShift(now).map(s -> s.toArray(String[]::new)).orElse(null);
        return new Window(now, now.minus(settings.assignmentWindow()), onShift);
    }

    /**
     * The pick as a common table expression {@code chosen(id)}, so the statement that opens the incident assigns it
     * in the same round trip: records the assignment and yields the dispatcher, or no row when none is active and
     * known or {@code :assign} is false. Parameters {@code :assign}, {@code :now}, {@code :since}, {@code :onShift} (a
     * {@link Window}).
     */
    static final String CHOSEN = """
            chosen as (
                update dispatcher set last_assigned_at = :now
                where :assign and id = (select d.id from dispatcher d
                                        where d.active and d.known_in_tracker
                                        order by coalesce(lower(d.login) = any(cast(:onShift as text[])), true) desc,
                                                 (select count(*) from incident i
                                                  where i.dispatcher_id = d.id and i.finished_at is null
                                                    and i.created_at >= :since),
                                                 d.last_assigned_at nulls first, d.login
                                        limit 1)
                returning id)""";
}
