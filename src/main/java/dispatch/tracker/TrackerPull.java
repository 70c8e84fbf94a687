package dispatch.tracker;

import dispatch.sla.Sla;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
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

        boolean changedAnything() {
            return results.entrySet().stream()
                    .anyMatch(e -> e.getKey() != Reconciler.Result.UNCHANGED && e.getValue() > 0);
        }
    }

    private final TrackerClient client;
    private final PullBatch batch;
    private final TrackedIncidents snapshots;
    private final StatusRules statuses;
    private final PullState state;
    private final TrackerProperties settings;
    private final Clock clock;
    private final AtomicReference<Instant> watermark = new AtomicReference<>();
    private final AtomicInteger missing = new AtomicInteger();

    TrackerPull(
            TrackerClient client,
            PullBatch batch,
            TrackedIncidents snapshots,
            StatusRules statuses,
            PullState state,
            TrackerProperties settings,
            Clock clock,
            MeterRegistry meters) {
        this.client = client;
        this.batch = batch;
        this.snapshots = snapshots;
        this.statuses = statuses;
        this.state = state;
        this.settings = settings;
        this.clock = clock;
        Gauge.builder("dispatch.tracker.pull.lag", this, TrackerPull::lagSeconds)
                .description("Seconds since the pull's watermark: how far behind Tracker the database may be")
                .baseUnit("seconds")
                .register(meters);
        Gauge.builder("dispatch.tracker.issues.missing", missing, AtomicInteger::get)
                .description("Open incidents whose issue the last full sweep did not find in the queue")
                .register(meters);
    }

    /** One cycle: the changed issues, or a full sweep when none was done yet or the last is older than its interval. */
    public synchronized Report pullOnce() {
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
        PullBatch.Run run = batch.reconcile(issues, started, i -> !due.contains(upper(i.key())) && batch.unchanged(i));
        Map<Reconciler.Result, Integer> results = run.results();
        boolean interrupted = run.interruptedAt() != null;
        Instant next = interrupted ? run.interruptedAt() : max(from, started);
        if (!interrupted) {
            Set<String> pulled = keys(issues.stream().map(TrackerIssue::key).toList());
            List<TrackerIssue> timed = new ArrayList<>();
            searches += byKeys(due.stream().filter(k -> !pulled.contains(k)).toList(), timed::add);
            PullBatch.Run slaRun = batch.reconcile(timed, started, i -> false);
            slaRun.results().forEach((result, n) -> results.merge(result, n, Integer::sum));
            if (slaRun.interruptedAt() != null) {
                interrupted = true;
                next = from;
            }
        }
        state.watermark(next);
        watermark.set(next);
        batch.forget(next.minus(OVERLAP));
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
        filter.put("status", statuses.openKeys());
        List<TrackerIssue> issues = new ArrayList<>();
        int searches = client.search(filter, "+updatedAt", issues::add);
        Set<String> found = keys(issues.stream().map(TrackerIssue::key).toList());
        List<String> drifted = snapshots.openTrackerKeys().stream()
                .filter(k -> !found.contains(upper(k)))
                .toList();
        List<TrackerIssue> driftedIssues = new ArrayList<>();
        searches += byKeys(drifted, driftedIssues::add);
        issues.addAll(driftedIssues);
        reportMissing(drifted, driftedIssues);
        PullBatch.Run run = batch.reconcile(issues, started, i -> false);
        // An interrupted sweep is tried again a few minutes later, not at every cycle; the pull goes on meanwhile.
        state.lastFullSweep(
                run.interruptedAt() == null
                        ? started
                        : started.minus(settings.fullSweepInterval()).plus(SWEEP_RETRY));
        if (state.watermark().isEmpty()) {
            state.watermark(started);
            watermark.set(started);
        }
        return finish(new Report(true, searches, run.results(), run.interruptedAt() != null));
    }

    /** Open incidents whose issue is not in the queue any more (moved to another queue or deleted) stay open. */
    private void reportMissing(List<String> keys, List<TrackerIssue> found) {
        Set<String> present = keys(found.stream().map(TrackerIssue::key).toList());
        List<String> missing =
                keys.stream().filter(k -> !present.contains(upper(k))).toList();
        this.missing.set(missing.size());
        if (!missing.isEmpty()) {
            log.warn(
                    "Incidents open in the database have no issue in queue {} any more (moved or deleted in"
                            + " Tracker?); they stay open until handled by hand: {}",
                    settings.queue(),
                    missing);
        }
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
