package dispatch.tracker;

import dispatch.incident.Incidents;
import dispatch.sla.Sla;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Service;

/**
 * Brings what dispatchers change in Tracker back into the database. Each cycle asks Tracker only for the issues of
 * the queue updated since the watermark (minus an overlap for search-index lag and clock skew), so its cost grows
 * with the number of changed issues, not open ones. The watermark advances only past issues reconciled without a
 * transient failure. A periodic full sweep of every issue not closed in Tracker, plus every incident open in the
 * database, catches drift (and SLA status changes that come with time).
 */
@Service
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class TrackerPull {

    private static final Logger log = LoggerFactory.getLogger(TrackerPull.class);
    static final Duration OVERLAP = Duration.ofMinutes(2);
    private static final Duration SWEEP_RETRY = Duration.ofMinutes(5);
    private static final int KEYS_PER_SEARCH = 500;

    /** What one cycle did. */
    record Report(boolean fullSweep, int searches, Map<Reconciler.Result, Integer> results, boolean interrupted) {

        int count(Reconciler.Result result) {
            return results.getOrDefault(result, 0);
        }

        boolean changedAnything() {
            return results.entrySet().stream()
                    .anyMatch(e -> e.getKey() != Reconciler.Result.UNCHANGED && e.getValue() > 0);
        }
    }

    private final TrackerClient client;
    private final Reconciler reconciler;
    private final IncidentSnapshots snapshots;
    private final Incidents incidents;
    private final PullState state;
    private final TrackerProperties settings;
    private final Clock clock;
    private final MeterRegistry meters;
    /** Issue key -> the {@code updatedAt} last reconciled or written by us: an unchanged issue is not redone. */
    private final Map<String, Instant> seen = new ConcurrentHashMap<>();

    private final AtomicReference<Instant> watermark = new AtomicReference<>();

    TrackerPull(
            TrackerClient client,
            Reconciler reconciler,
            IncidentSnapshots snapshots,
            Incidents incidents,
            PullState state,
            TrackerProperties settings,
            Clock clock,
            MeterRegistry meters) {
        this.client = client;
        this.reconciler = reconciler;
        this.snapshots = snapshots;
        this.incidents = incidents;
        this.state = state;
        this.settings = settings;
        this.clock = clock;
        this.meters = meters;
        Gauge.builder("dispatch.tracker.pull.lag", this, TrackerPull::lagSeconds)
                .description("Seconds since the pull's watermark: how far behind Tracker the database may be")
                .baseUnit("seconds")
                .register(meters);
    }

    /** One cycle: the changed issues, or a full sweep when none was done yet or the last is older than its interval. */
    synchronized Report pullOnce() {
        Instant started = clock.instant();
        Instant from = state.watermark().orElse(null);
        Instant lastSweep = state.lastFullSweep().orElse(null);
        if (from == null
                || lastSweep == null
                || !lastSweep.plus(settings.fullSweepInterval()).isAfter(started)) {
            return fullSweep();
        }
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("queue", settings.queue());
        filter.put("updatedAt", Map.of("from", IssueFields.TRACKER_TIME.format(from.minus(OVERLAP))));
        List<TrackerIssue> issues = new ArrayList<>();
        int searches = client.search(filter, "+updatedAt", issues::add);
        // Issues whose SLA status changed with time since the last cycle are reconciled even when nobody touched them.
        Set<String> due = keys(snapshots.slaStatusChangedKeys(from, started, Sla.WARNING));
        Run run = reconcileAll(issues, started, i -> !due.contains(upper(i.key())) && unchanged(i));
        Map<Reconciler.Result, Integer> results = run.results;
        boolean interrupted = run.interruptedAt != null;
        Instant next = interrupted ? run.interruptedAt : max(from, started);
        if (!interrupted) {
            Set<String> pulled = keys(issues.stream().map(TrackerIssue::key).toList());
            List<TrackerIssue> timed = new ArrayList<>();
            searches += byKeys(due.stream().filter(k -> !pulled.contains(k)).toList(), timed::add);
            Run slaRun = reconcileAll(timed, started, i -> false);
            slaRun.results.forEach((result, n) -> results.merge(result, n, Integer::sum));
            if (slaRun.interruptedAt != null) {
                interrupted = true;
                next = from;
            }
        }
        state.watermark(next);
        watermark.set(next);
        Instant forget = next.minus(OVERLAP);
        seen.values().removeIf(at -> at.isBefore(forget));
        return finish(new Report(false, searches, results, interrupted));
    }

    /**
     * Every issue not closed in Tracker plus the issue of every incident open in the database, compared in full.
     * Sets the watermark when there is none yet.
     */
    synchronized Report fullSweep() {
        Instant started = clock.instant();
        Map<String, Object> filter = new LinkedHashMap<>();
        filter.put("queue", settings.queue());
        filter.put("status", openStatuses());
        List<TrackerIssue> issues = new ArrayList<>();
        int searches = client.search(filter, "+updatedAt", issues::add);
        Set<String> found = keys(issues.stream().map(TrackerIssue::key).toList());
        List<String> drifted = snapshots.openTrackerKeys().stream()
                .filter(k -> !found.contains(upper(k)))
                .toList();
        searches += byKeys(drifted, issues::add);
        Run run = reconcileAll(issues, started, i -> false);
        // An interrupted sweep is tried again a few minutes later, not at every cycle; the pull goes on meanwhile.
        state.lastFullSweep(
                run.interruptedAt == null
                        ? started
                        : started.minus(settings.fullSweepInterval()).plus(SWEEP_RETRY));
        if (state.watermark().isEmpty()) {
            state.watermark(started);
            watermark.set(started);
        }
        return finish(new Report(true, searches, run.results, run.interruptedAt != null));
    }

    private int byKeys(List<String> keys, Consumer<TrackerIssue> each) {
        int searches = 0;
        for (int i = 0; i < keys.size(); i += KEYS_PER_SEARCH) {
            List<String> chunk = keys.subList(i, Math.min(keys.size(), i + KEYS_PER_SEARCH));
            searches += client.search(Map.of("queue", settings.queue(), "key", chunk), "+updatedAt", each);
        }
        return searches;
    }

    private static Set<String> keys(List<String> keys) {
        return keys.stream().map(TrackerPull::upper).collect(Collectors.toCollection(HashSet::new));
    }

    private static String upper(String key) {
        return key.toUpperCase(Locale.ROOT);
    }

    /** Already reconciled at this {@code updatedAt} (or it is the echo of our own write). */
    private boolean unchanged(TrackerIssue issue) {
        return issue.updatedAt().equals(seen.get(issue.key()));
    }

    private record Run(
            Map<Reconciler.Result, Integer> results,
            @Nullable Instant interruptedAt) {}

    /** In {@code updatedAt} order; stops at the first transient failure (Tracker or database unavailable). */
    private Run reconcileAll(List<TrackerIssue> issues, Instant now, Predicate<TrackerIssue> skip) {
        Map<Reconciler.Result, Integer> results = new EnumMap<>(Reconciler.Result.class);
        if (issues.isEmpty()) return new Run(results, null);
        Reconciler.Cycle cycle = cycle(now);
        for (TrackerIssue issue : issues) {
            if (skip.test(issue)) {
                results.merge(Reconciler.Result.UNCHANGED, 1, Integer::sum);
                continue;
            }
            try {
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
                client.localFieldId(settings.fields().incidentType()), incidents.typeNames(), logins, now);
    }

    private List<String> openStatuses() {
        TrackerProperties.Statuses s = settings.statuses();
        return List.of(
                s.open(),
                s.inProgress(),
                s.needAcceptance(),
                s.error(),
                s.notifyOperatorInWork(),
                s.notifiedOperatorInWork(),
                s.notifyOperatorClosed(),
                s.notifiedOperatorClosed(),
                s.notifyContractorInWork(),
                s.notifiedContractorInWork());
    }

    private Report finish(Report report) {
        if (report.changedAnything() || report.interrupted()) {
            log.info(
                    "Tracker {}: {} search request(s), {}{}",
                    report.fullSweep() ? "full sweep" : "pull",
                    report.searches(),
                    report.results(),
                    report.interrupted() ? ", stopped early (will resume from the last good issue)" : "");
        }
        return report;
    }

    private double lagSeconds() {
        Instant at = watermark.get();
        return at == null ? Double.NaN : Duration.between(at, clock.instant()).toMillis() / 1000.0;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
