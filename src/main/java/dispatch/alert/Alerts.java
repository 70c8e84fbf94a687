package dispatch.alert;

import dispatch.alert.Alert.Kind;
import dispatch.alert.Alert.Severity;
import dispatch.incident.MailParked;
import dispatch.incident.SenderFlooded;
import dispatch.mail.MailQuarantined;
import dispatch.platform.OutboxDeliveryFailed;
import dispatch.towerstore.TowerStoreImportFailed;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Raises alerts when something needs a person: a health component (IMAP, Tracker, outbox, a stalled stage, disk …)
 * DOWN on two checks in a row, and over when it is UP again; a delivery that ran out of attempts; a failed TowerStore
 * import; a sender over the new-incident limit; quarantined and parked mail. What is told, and when, is
 * {@link AlertNotices}'s job; the state is in the database (decision 0023).
 */
@Component
class Alerts {

    private final AlertLog log;
    private final AlertNotices notices;
    private final Map<String, HealthIndicator> indicators;
    private final Clock clock;
    private final MeterRegistry meters;

    Alerts(
            AlertLog log,
            AlertNotices notices,
            Map<String, HealthIndicator> indicators,
            Clock clock,
            MeterRegistry meters) {
        this.log = log;
        this.notices = notices;
        this.indicators = indicators;
        this.clock = clock;
        this.meters = meters;
        meters.counter("dispatch.alerts.raised"); // at zero from the start: the first alert is an increase
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    @SchedulerLock(name = "alerts-health-watch")
    void scheduled() {
        check();
    }

    /** One round (one instance at a time): every health component, then whatever is due to be told. */
    public void check() {
        indicators.forEach((bean, indicator) -> watch(component(bean), indicator));
        notices.tellDue();
    }

    @EventListener
    void on(OutboxDeliveryFailed event) {
        if (AlertNotices.KIND.equals(event.kind())) return; // the outbox health tells that Telegram is failing
        raise(
                "outbox:" + event.id(),
                Severity.CRITICAL,
                "доставка " + event.kind() + " не удалась",
                "(" + event.dedupKey() + ") после " + event.attempts() + " попыток: " + event.lastError()
                        + "\nПовторить: POST /api/v1/admin/outbox/" + event.id() + "/retry");
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(TowerStoreImportFailed event) {
        raise(
                "towerstore:" + event.report(),
                Severity.WARNING,
                "импорт TowerStore (" + event.report() + ") не удался",
                event.reason() + "\nДанные прошлого импорта сохранены.");
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(SenderFlooded event) {
        raise(
                "flood:" + event.sender(),
                Severity.WARNING,
                event.sender() + " открыл " + event.opened() + " инцидентов за "
                        + event.window().toMinutes() + " мин",
                "новые инциденты от него задержаны.\nСписок: GET /api/v1/admin/held-mail, выпустить: POST"
                        + " /api/v1/admin/held-mail/release");
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(MailQuarantined event) {
        raise(
                "mail.quarantined",
                Severity.WARNING,
                "письма в карантине (не разобраны)",
                event.reason() + "\nСписок: GET /api/v1/admin/mail/quarantine");
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(MailParked event) {
        raise(
                "mail.parked",
                Severity.WARNING,
                "письма отложены: не удалось привязать к инцидентам",
                event.reason() + "\nСписок: GET /api/v1/admin/mail/parked");
    }

    private void raise(String fingerprint, Severity severity, String title, String detail) {
        log.raise(fingerprint, severity, Kind.EVENT, title, detail, clock.instant());
        meters.counter("dispatch.alerts.raised").increment();
        notices.tellDue();
    }

    private void watch(String component, HealthIndicator indicator) {
        Health health;
        try {
            health = indicator.health();
        } catch (RuntimeException e) {
            health = Health.down(e).build();
        }
        String fingerprint = "health:" + component;
        if (health != null && Status.DOWN.equals(health.getStatus())) {
            if (log.downCheck(component, reason(health), clock.instant()) == 2) {
                log.raise(
                        fingerprint,
                        Severity.CRITICAL,
                        Kind.HEALTH,
                        component + " DOWN",
                        reason(health),
                        clock.instant());
                meters.counter("dispatch.alerts.raised").increment();
            }
        } else {
            log.upCheck(component);
            log.resolve(fingerprint, clock.instant());
        }
    }

    private static String reason(Health health) {
        Object reason = health.getDetails().get("reason");
        if (reason == null) reason = health.getDetails().get("error");
        return reason == null ? "без подробностей" : reason.toString();
    }

    private static String component(String bean) {
        return bean.endsWith("HealthIndicator") ? bean.substring(0, bean.length() - "HealthIndicator".length()) : bean;
    }
}
