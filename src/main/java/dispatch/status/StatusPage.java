package dispatch.status;

import dispatch.alert.AlertHistory;
import dispatch.incident.ParkedMail;
import dispatch.mail.MailQuarantine;
import dispatch.platform.DispatchProperties;
import dispatch.platform.OutboxDeliveries;
import dispatch.platform.StageState;
import dispatch.towerstore.TowerStoreImport;
import dispatch.tracker.TrackerSync;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/** Gathers the page from the features' facades and the health components (their logic, not a copy of it). */
@Component
class StatusPage {

    static final int ALERTS = 50;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Map<String, HealthIndicator> indicators;
    private final OutboxDeliveries outbox;
    private final MailQuarantine quarantine;
    private final ParkedMail parked;
    private final AlertHistory alerts;
    private final TrackerSync tracker;
    private final ObjectProvider<TowerStoreImport> towerStore;
    private final ObjectProvider<BuildProperties> build;
    private final DispatchProperties settings;
    private final Clock clock;

    StatusPage(
            Map<String, HealthIndicator> indicators,
            OutboxDeliveries outbox,
            MailQuarantine quarantine,
            ParkedMail parked,
            AlertHistory alerts,
            TrackerSync tracker,
            ObjectProvider<TowerStoreImport> towerStore, // absent when the TowerStore import is switched off
            ObjectProvider<BuildProperties> build,
            DispatchProperties settings,
            Clock clock) {
        this.indicators = new TreeMap<>(indicators);
        this.outbox = outbox;
        this.quarantine = quarantine;
        this.parked = parked;
        this.alerts = alerts;
        this.tracker = tracker;
        this.towerStore = towerStore;
        this.build = build;
        this.settings = settings;
        this.clock = clock;
    }

    StatusView view() {
        Instant now = clock.instant();
        Instant started =
                Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        StageState due = outbox.due();
        @Nullable Instant reconciled = tracker.reconciledUpTo().orElse(null);
        BuildProperties info = build.getIfAvailable();
        return new StatusView(
                info == null ? "unknown (no build info)" : info.getVersion(),
                time(started),
                words(Duration.between(started, now)),
                time(now),
                components(),
                lastGood(),
                reconciled == null ? null : words(Duration.between(reconciled, now)),
                due.waiting(),
                due.waiting() == 0 ? null : words(due.oldestWaiting(now)),
                outbox.list("FAILED", 200),
                quarantine.waiting(),
                parked.list(),
                alerts.latest(ALERTS).stream()
                        .map(a -> new StatusView.AlertLine(
                                a.severity().name(),
                                a.resolvedAt() == null,
                                a.title(),
                                a.detail(),
                                a.occurrences(),
                                time(a.lastSeen())))
                        .toList());
    }

    private List<StatusView.Component> components() {
        List<StatusView.Component> components = new ArrayList<>();
        indicators.forEach((bean, indicator) -> {
            Health health;
            try {
                health = indicator.health();
            } catch (RuntimeException e) {
                health = Health.down(e).build();
            }
            Status status = health == null ? Status.UNKNOWN : health.getStatus();
            Map<String, Object> details = health == null ? Map.of() : health.getDetails();
            Object reason = details.containsKey("reason") ? details.get("reason") : details.get("error");
            List<String> lines = details.entrySet().stream()
                    .filter(d -> !d.getKey().equals("reason") && !d.getKey().equals("error"))
                    .map(d -> d.getKey() + ": " + text(d.getValue()))
                    .toList();
            components.add(new StatusView.Component(
                    component(bean),
                    status.getCode(),
                    Status.DOWN.equals(status) || Status.OUT_OF_SERVICE.equals(status),
                    reason == null ? null : reason.toString(),
                    lines));
        });
        return components;
    }

    private List<StatusView.LastGood> lastGood() {
        List<StatusView.LastGood> last = new ArrayList<>();
        last.add(new StatusView.LastGood(
                "Tracker pull (changes reconciled up to)",
                tracker.reconciledUpTo().map(this::time).orElse(null)));
        last.add(new StatusView.LastGood(
                "Tracker pull (last full sweep)",
                tracker.lastFullSweep().map(this::time).orElse(null)));
        outbox.lastDoneByKind().forEach((kind, at) -> last.add(new StatusView.LastGood("delivery " + kind, time(at))));
        towerStore.ifAvailable(store -> store.lastSuccesses()
                .forEach((report, at) -> last.add(new StatusView.LastGood("TowerStore import " + report, time(at)))));
        return last;
    }

    private String time(Instant at) {
        return TIME.format(at.atZone(settings.timeZone()));
    }

    /** Nested details (per mail folder) on one line each. */
    private static String text(@Nullable Object value) {
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
        return String.valueOf(value);
    }

    static String words(Duration d) {
        if (d.isNegative()) d = Duration.ZERO;
        if (d.toDays() > 0) return d.toDays() + " d " + d.toHoursPart() + " h";
        if (d.toHours() > 0) return d.toHours() + " h " + d.toMinutesPart() + " min";
        if (d.toMinutes() > 0) return d.toMinutes() + " min " + d.toSecondsPart() + " s";
        return d.toSeconds() + " s";
    }

    private static String component(String bean) {
        return bean.endsWith("HealthIndicator") ? bean.substring(0, bean.length() - "HealthIndicator".length()) : bean;
    }
}
