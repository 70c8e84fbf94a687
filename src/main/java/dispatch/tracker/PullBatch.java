package dispatch.tracker;

import dispatch.incident.Incidents;
import dispatch.platform.LogContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Reconciles a list of issues in order, stopping at the first transient failure (Tracker or the database not
 * available) so the caller can keep its watermark there; a permanent failure of one issue is logged and counted and
 * does not block the rest. Remembers the {@code updatedAt} each issue was reconciled at (or our own write left), so an
 * issue seen again unchanged costs nothing.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class PullBatch {

    private static final Logger log = LoggerFactory.getLogger(PullBatch.class);

    /** @param interruptedAt the {@code updatedAt} of the issue a transient failure stopped at, or null */
    record Run(
            Map<Reconciler.Result, Integer> results,
            @Nullable Instant interruptedAt) {}

    private final TrackerClient client;
    private final Reconciler reconciler;
    private final Incidents incidents;
    private final TrackerProperties settings;
    private final MeterRegistry meters;
    private final PullState state;
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    PullBatch(
            TrackerClient client,
            Reconciler reconciler,
            Incidents incidents,
            TrackerProperties settings,
            MeterRegistry meters,
            PullState state) {
        this.client = client;
        this.reconciler = reconciler;
        this.incidents = incidents;
        this.settings = settings;
        this.meters = meters;
        this.state = state;
    }

    /** Already reconciled at this {@code updatedAt} (or it is the echo of our own write). */
    boolean unchanged(TrackerIssue issue) {
        return issue.updatedAt().equals(seen.get(issue.key()));
    }

    /** Forgets issues last seen before {@code before} (they are outside any later search's overlap). */
    void forget(Instant before) {
        seen.values().removeIf(at -> at.isBefore(before));
    }

    /** In list order ({@code updatedAt} ascending); issues for which {@code skip} holds count as unchanged. */
    Run reconcile(List<TrackerIssue> issues, Instant now, Predicate<TrackerIssue> skip) {
        Map<Reconciler.Result, Integer> results = new EnumMap<>(Reconciler.Result.class);
        if (issues.isEmpty()) return new Run(results, null);
        Reconciler.Cycle cycle = cycle(now);
        for (TrackerIssue issue : issues) {
            if (skip.test(issue)) {
                results.merge(Reconciler.Result.UNCHANGED, 1, Integer::sum);
                continue;
            }
            try (var logged = LogContext.put(LogContext.TRACKER_KEY, issue.key())) {
                Reconciler.Outcome outcome = reconciler.reconcile(issue, cycle);
                count(results, outcome.result());
                seen.put(issue.key(), outcome.echo() != null ? outcome.echo() : issue.updatedAt());
            } catch (TrackerException | TransientDataAccessException | DataAccessResourceFailureException e) {
                if (e instanceof TrackerException t && !t.transientFailure()) {
                    failed(results, issue, e);
                    continue;
                }
                log.warn("Tracker pull stopped at {} (updated {}): {}", issue.key(), issue.updatedAt(), e.toString());
                count(results, null);
                return new Run(results, issue.updatedAt());
            } catch (RuntimeException e) {
                failed(results, issue, e);
            }
        }
        return new Run(results, null);
    }

    private void failed(Map<Reconciler.Result, Integer> results, TrackerIssue issue, Exception e) {
        // A permanent failure must not block the pull: it is logged, counted and retried by the next full sweep.
        log.error("Could not reconcile Tracker issue {}: {}", issue.key(), e.toString(), e);
        count(results, null);
    }

    private void count(Map<Reconciler.Result, Integer> results, Reconciler.@Nullable Result result) {
        if (result != null) results.merge(result, 1, Integer::sum);
        Counter.builder("dispatch.tracker.pull.issues")
                .description("Tracker issues looked at by the pull, by what came of it")
                .tag("result", result == null ? "failed" : result.name().toLowerCase(Locale.ROOT))
                .register(meters)
                .increment();
    }

    private Reconciler.Cycle cycle(Instant now) {
        Map<String, String> logins = new LinkedHashMap<>();
        client.users().forEach(u -> logins.put(u.uid(), u.login()));
        return new Reconciler.Cycle(
                client.localFieldId(settings.fields().incidentType()),
                incidents.typeNames(),
                logins,
                now,
                state.firstPull(now));
    }
}
