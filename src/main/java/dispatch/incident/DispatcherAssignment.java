package dispatch.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Picks the dispatcher for a new incident: among the active dispatchers, the one with the fewest open incidents
 * created within the assignment window; ties go to the one assigned least recently, then by login. Deterministic,
 * unlike the old random tie-break.
 */
@Component
class DispatcherAssignment {

    private static final Logger log = LoggerFactory.getLogger(DispatcherAssignment.class);

    private final JdbcClient jdbc;
    private final IncidentProperties settings;
    private final Clock clock;

    DispatcherAssignment(JdbcClient jdbc, IncidentProperties settings, Clock clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock;
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

    /** An incident opened now: the time the assignment records, and where the window of open incidents starts. */
    record Window(Instant now, Instant since) {}

    Window window() {
        Instant now = clock.instant();
        return new Window(now, now.minus(settings.assignmentWindow()));
    }

    /**
     * The pick as a common table expression {@code chosen(id)}, so the statement that opens the incident assigns it
     * in the same round trip: records the assignment and yields the dispatcher, or no row when none is active or
     * {@code :assign} is false. Parameters {@code :assign}, {@code :now}, {@code :since} (a {@link Window}).
     */
    static final String CHOSEN = """
            chosen as (
                update dispatcher set last_assigned_at = :now
                where :assign and id = (select d.id from dispatcher d
                                        where d.active
                                        order by (select count(*) from incident i
                                                  where i.dispatcher_id = d.id and i.finished_at is null
                                                    and i.created_at >= :since),
                                                 d.last_assigned_at nulls first, d.login
                                        limit 1)
                returning id)""";
}
