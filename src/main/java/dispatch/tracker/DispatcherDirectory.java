package dispatch.tracker;

import dispatch.incident.Incidents;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Checks the configured dispatchers ({@code DISPATCH_INCIDENT_DISPATCHERS}) against Tracker's users, at start-up and
 * hourly ({@link DispatcherJobs}); docs/dispatchers.md. A login Tracker does not know, or knows as dismissed, is
 * logged, gets no new incidents and is never sent as an assignee (Tracker would refuse the issue). Health
 * "dispatchers" is DOWN naming such logins (details for admins), so an alert asks a person to fix the setting; while
 * Tracker cannot be asked, the last answer stays.
 */
@Component("dispatchersHealthIndicator")
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class DispatcherDirectory implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(DispatcherDirectory.class);

    /** What the last check found. */
    private record Checked(Set<String> known, Set<String> unknown, Instant at) {}

    private final TrackerClient client;
    private final Incidents incidents;
    private final Clock clock;
    private volatile @Nullable Checked last;

    DispatcherDirectory(TrackerClient client, Incidents incidents, Clock clock) {
        this.client = client;
        this.incidents = incidents;
        this.clock = clock;
    }

    /**
     * Asks Tracker for its users and records which configured dispatchers it does not know. Public: the job calls it
     * (decision 0018's rule for jobs).
     */
    public void refresh() {
        Set<String> users = client.users().stream()
                .filter(u -> !u.dismissed())
                .map(u -> u.login().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        List<String> configured = incidents.dispatcherLogins();
        Set<String> unknown = configured.stream()
                .filter(login -> !users.contains(login.toLowerCase(Locale.ROOT)))
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> known = configured.stream()
                .filter(login -> !unknown.contains(login))
                .collect(Collectors.toCollection(TreeSet::new));
        incidents.setUnknownDispatchers(unknown);
        Checked before = last;
        last = new Checked(known, unknown, clock.instant());
        if (!unknown.isEmpty() && (before == null || !before.unknown().equals(unknown))) {
            log.warn(
                    "Tracker does not know the dispatcher logins {} (DISPATCH_INCIDENT_DISPATCHERS): they get no new"
                            + " incidents",
                    unknown);
        }
    }

    /** Whether the login may be sent as an issue's assignee: not one the last check found unknown. */
    boolean assignable(String login) {
        Checked checked = last;
        return checked == null || !checked.unknown().contains(login);
    }

    @Override
    public Health health() {
        Checked checked = last;
        if (checked == null)
            return Health.unknown().withDetail("reason", "not checked yet").build();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("known", checked.known());
        details.put("unknown", checked.unknown());
        details.put("checkedAt", checked.at().toString());
        if (checked.unknown().isEmpty()) return Health.up().withDetails(details).build();
        details.put(
                "reason",
                "Tracker does not know the dispatcher logins " + checked.unknown()
                        + ": they get no new incidents; correct DISPATCH_INCIDENT_DISPATCHERS or the Tracker users");
        return Health.down().withDetails(details).build();
    }
}
