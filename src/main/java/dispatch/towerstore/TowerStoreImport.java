package dispatch.towerstore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.client.RestClient;

/**
 * Imports the three TowerStore reports in order (poles, contractors, base stations). Each report is downloaded
 * whole, then applied in one transaction: it either lands completely or leaves the data as it was, in which case
 * {@link TowerStoreImportFailed} is published and the next report is still tried. The daily job, the start-up job
 * and the admin endpoint all call {@link #importAll()}; imports on any instance run one at a time.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.towerstore.enabled", matchIfMissing = true)
public class TowerStoreImport {

    /**
     * What one report's import did. Counts are of poles, contractors or base stations, except {@code skipped},
     * which counts report rows.
     *
     * @param failure why the report was not imported (data unchanged), or null
     */
    public record Result(
            String report,
            int added,
            int updated,
            int removed,
            int skipped,
            long millis,
            @Nullable String failure) {

        public boolean succeeded() {
            return failure == null;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(TowerStoreImport.class);

    private final TowerStoreProperties settings;
    private final ReportDownloader downloader;
    private final DataSource dataSource;
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final List<ReportLoader> loaders;

    TowerStoreImport(
            TowerStoreProperties settings,
            RestClient.Builder restClient,
            DataSource dataSource,
            PlatformTransactionManager transactions,
            ApplicationEventPublisher events,
            MeterRegistry meters,
            Clock clock) {
        this.settings = settings;
        this.downloader = new ReportDownloader(restClient, settings);
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
        this.transaction = new TransactionTemplate(transactions);
        this.events = events;
        this.meters = meters;
        this.clock = clock;
        this.loaders = List.of(
                new PoleLoader(), new ContractorLoader(settings.defaultContractorEmails()), new BaseStationLoader());
        for (ReportLoader loader : loaders) {
            AtomicLong last = lastSuccess.computeIfAbsent(loader.report(), r -> new AtomicLong());
            Gauge.builder("dispatch.towerstore.last.success.timestamp", last, AtomicLong::get)
                    .description("When the report was last imported successfully (epoch seconds; 0 = not since start)")
                    .baseUnit("seconds")
                    .tag("report", loader.report())
                    .register(meters);
        }
    }

    /** When each report was last imported successfully since start (the report absent: not since start). */
    public Map<String, Instant> lastSuccesses() {
        Map<String, Instant> last = new TreeMap<>();
        lastSuccess.forEach((report, at) -> {
            if (at.get() > 0) last.put(report, Instant.ofEpochSecond(at.get()));
        });
        return last;
    }

    /** Imports poles, then contractors, then base stations; one result per report, in that order. */
    public List<Result> importAll() {
        List<Result> results = new ArrayList<>();
        for (ReportLoader loader : loaders) {
            results.add(importReport(loader, url(loader.report())));
        }
        return results;
    }

    private Result importReport(ReportLoader loader, URI url) {
        String report = loader.report();
        long start = System.nanoTime();
        Path file = null;
        try {
            file = downloader.download(report, url);
            Path downloaded = file;
            Skips skips = new Skips(report);
            ReportLoader.Counts counts = transaction.execute(status -> {
                jdbc.sql("select pg_advisory_xact_lock(hashtext('dispatch.towerstore'))")
                        .query()
                        .singleValue();
                jdbc.sql("set local work_mem = '64MB'").update();
                return loader.load(downloaded, DataSourceUtils.getConnection(dataSource), jdbc, skips);
            });
            Result result = new Result(
                    report, counts.added(), counts.updated(), counts.removed(), skips.count(), millis(start), null);
            record(result, start);
            lastSuccess.get(report).set(clock.instant().getEpochSecond());
            log.info(
                    "TowerStore {} imported in {} ms: {} added, {} updated, {} removed, {} rows skipped",
                    report,
                    result.millis(),
                    result.added(),
                    result.updated(),
                    result.removed(),
                    result.skipped());
            return result;
        } catch (RuntimeException e) {
            String reason = reason(e);
            Result result = new Result(report, 0, 0, 0, 0, millis(start), reason);
            record(result, start);
            if (e instanceof ReportException) {
                log.error("TowerStore {} not imported, data left as it was: {}", report, reason);
            } else {
                log.error("TowerStore {} not imported, data left as it was: {}", report, reason, e);
            }
            events.publishEvent(new TowerStoreImportFailed(report, reason));
            return result;
        } finally {
            if (file != null) {
                ReportDownloader.delete(file);
            }
        }
    }

    private void record(Result r, long start) {
        Timer.builder("dispatch.towerstore.import")
                .description("Time to download and apply a TowerStore report")
                .tag("report", r.report())
                .tag("result", r.succeeded() ? "success" : "failure")
                .register(meters)
                .record(Duration.ofNanos(System.nanoTime() - start));
        count(r.report(), "added", r.added());
        count(r.report(), "updated", r.updated());
        count(r.report(), "removed", r.removed());
        count(r.report(), "skipped", r.skipped());
    }

    private void count(String report, String outcome, int n) {
        Counter.builder("dispatch.towerstore.rows")
                .description("Reference rows changed or report rows skipped by TowerStore imports")
                .tag("report", report)
                .tag("outcome", outcome)
                .register(meters)
                .increment(n);
    }

    private URI url(String report) {
        return switch (report) {
            case "poles" -> settings.polesUrl();
            case "contractors" -> settings.contractorsUrl();
            default -> settings.baseStationsUrl();
        };
    }

    private static String reason(RuntimeException e) {
        if (e instanceof ReportException) {
            return e.getMessage();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return e.getClass().getSimpleName() + ": " + (root.getMessage() == null ? root.toString() : root.getMessage());
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
