package dispatch.platform;

import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs, once the service is up, which features are on and what they talk to. */
@Component
class StartupReport {

    private static final Logger log = LoggerFactory.getLogger(StartupReport.class);

    private final List<FeatureSettings> features;
    private final DispatchProperties dispatch;

    StartupReport(List<FeatureSettings> features, DispatchProperties dispatch) {
        this.features = features;
        this.dispatch = dispatch;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        log.info(
                "Dispatch installation '{}' ready; times shown in {}; files under {}",
                dispatch.installationId(),
                dispatch.timeZone(),
                dispatch.dataDirectory().toAbsolutePath());
        features.stream()
                .sorted(Comparator.comparing(FeatureSettings::feature))
                .forEach(f -> log.info(
                        "Feature {}: {}", f.feature(), f.enabled() ? "ON, " + f.summary() : "OFF (switched off)"));
        if (!dispatch.schedulingEnabled()) {
            log.warn("Background jobs are OFF (DISPATCH_SCHEDULINGENABLED=false): nothing is polled or pushed");
        }
    }
}
