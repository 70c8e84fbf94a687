package dispatch.alert;

import dispatch.alert.Alert.Kind;
import dispatch.alert.Alert.Severity;
import dispatch.platform.DispatchProperties;
import dispatch.sla.SlaAlertDue;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An SLA an hour from breaking, or broken (docs/sla.md, "SLA alerts"). Raised inside the transaction that claimed it,
 * so the claim and the alert (with its notice in the outbox) commit together: told once.
 */
@Component
class SlaBreachAlerts {

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm");

    private final AlertLog log;
    private final AlertNotices notices;
    private final Clock clock;
    private final MeterRegistry meters;
    private final ZoneId zone;

    SlaBreachAlerts(
            AlertLog log, AlertNotices notices, Clock clock, MeterRegistry meters, DispatchProperties platform) {
        this.log = log;
        this.notices = notices;
        this.clock = clock;
        this.meters = meters;
        this.zone = platform.timeZone();
    }

    @EventListener
    void on(SlaAlertDue due) {
        String issue = due.trackerKey() == null ? due.code() : due.trackerKey() + " (" + due.code() + ")";
        String deadline = SHOWN.format(due.deadline().atZone(zone));
        log.raise(
                "sla:" + due.incidentId() + (due.breached() ? ":breached" : ":warning"),
                due.breached() ? Severity.CRITICAL : Severity.WARNING,
                Kind.EVENT,
                due.breached() ? "SLA нарушен: " + issue : "до нарушения SLA меньше часа: " + issue,
                "Тип: " + (due.typeName() == null ? "—" : due.typeName()) + "\nСрок: " + deadline,
                clock.instant());
        meters.counter("dispatch.alerts.raised").increment();
        notices.tellDue();
    }
}
