package dispatch.alert;

import dispatch.incident.MailParked;
import dispatch.incident.SenderFlooded;
import dispatch.mail.MailQuarantined;
import dispatch.platform.OutboxDeliveryFailed;
import dispatch.towerstore.TowerStoreImportFailed;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Tells on-call admins on Telegram when something needs a person, and again when it recovered: a health component
 * (IMAP, Tracker, outbox, database …) that is DOWN on two checks in a row, and back UP; a delivery to Tracker that
 * ran out of attempts; a failed TowerStore import; quarantined mail and mail threading parked (each at most one
 * message per quarter hour, with the count). Messages wait in memory and are retried on the next check when Telegram is unreachable.
 * ran out of attempts; a failed TowerStore import; a sender over the new-incident limit; quarantined mail (at most one message per quarter hour, with the
 * count). Messages wait in memory and are retried on the next check when Telegram is unreachable.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.telegram.enabled", matchIfMissing = true)
class Alerts {

    private static final int MAX_WAITING = 200;

    private final TelegramSender telegram;
    private final Duration quarantineDigest;
    private final Map<String, HealthIndicator> indicators;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Map<String, Instant> downSince = new LinkedHashMap<>();
    private final Map<String, Integer> downChecks = new LinkedHashMap<>();
    private final Deque<String> waiting = new ArrayDeque<>();
    private final Digest quarantined = new Digest("писем в карантине (не разобраны)", "/api/v1/admin/mail/quarantine");
    private final Digest parked =
            new Digest("писем отложено: не удалось привязать к инцидентам", "/api/v1/admin/mail/parked");

    /** Mails of one kind of trouble since the last report, sent at most once per digest interval. */
    private static final class Digest {
        private final String what;
        private final String list;
        private int count;
        private @Nullable String lastReason;
        private Instant reportedAt = Instant.MIN;

        Digest(String what, String list) {
            this.what = what;
            this.list = list;
        }

        void add(String reason) {
            count++;
            lastReason = reason;
        }

        @Nullable
        String due(Instant now, Duration interval) {
            if (count == 0 || reportedAt.plus(interval).isAfter(now)) return null;
            String text = "⚠️ Dispatch: " + count + " " + what + ": " + lastReason + "\nСписок: GET " + list;
            count = 0;
            reportedAt = now;
            return text;
        }
    }

    Alerts(
            TelegramSender telegram,
            TelegramProperties settings,
            Map<String, HealthIndicator> indicators,
            Clock clock,
            MeterRegistry meters) {
        this.telegram = telegram;
        this.quarantineDigest = settings.quarantineDigest();
        this.indicators = indicators;
        this.clock = clock;
        this.meters = meters;
        meters.counter("dispatch.alerts.raised"); // at zero from the start: the first alert is an increase
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    @SchedulerLock(name = "alerts-health-watch", lockAtMostFor = "PT5M")
    void scheduled() {
        check();
    }

    /** One round: compare every health component with the last round, report quarantine digests, send. */
    synchronized void check() {
        Instant now = clock.instant();
        indicators.forEach((bean, indicator) -> watch(component(bean), indicator, now));
        for (Digest digest : List.of(quarantined, parked)) {
            String text = digest.due(now, quarantineDigest);
            if (text != null) queue(text);
        }
        flush();
    }

    @EventListener
    synchronized void on(OutboxDeliveryFailed event) {
        alert("🔴 Dispatch: доставка " + event.kind() + " (" + event.dedupKey() + ") не удалась после "
                + event.attempts() + " попыток: " + event.lastError()
                + "\nПовторить: POST /api/v1/admin/outbox/" + event.id() + "/retry");
    }

    @TransactionalEventListener(fallbackExecution = true)
    synchronized void on(TowerStoreImportFailed event) {
        alert("🔴 Dispatch: импорт TowerStore (" + event.report() + ") не удался: " + event.reason()
                + "\nДанные прошлого импорта сохранены.");
    }

    @TransactionalEventListener(fallbackExecution = true)
    synchronized void on(SenderFlooded event) {
        alert("⚠️ Dispatch: " + event.sender() + " открыл " + event.opened() + " инцидентов за "
                + event.window().toMinutes() + " мин; новые инциденты от него задержаны."
                + "\nСписок: GET /api/v1/admin/held-mail, выпустить: POST /api/v1/admin/held-mail/release");
    }

    @TransactionalEventListener(fallbackExecution = true)
    synchronized void on(MailQuarantined event) {
        quarantined.add(event.reason());
    }

    @TransactionalEventListener(fallbackExecution = true)
    synchronized void on(MailParked event) {
        parked.add(event.reason());
    }

    private void watch(String component, HealthIndicator indicator, Instant now) {
        Health health;
        try {
            health = indicator.health();
        } catch (RuntimeException e) {
            health = Health.down(e).build();
        }
        boolean down = health != null && Status.DOWN.equals(health.getStatus());
        if (down) {
            int checks = downChecks.merge(component, 1, Integer::sum);
            if (checks == 2) {
                downSince.put(component, now);
                queue("🔴 Dispatch: " + component + " DOWN — " + reason(health));
            }
        } else {
            downChecks.remove(component);
            Instant since = downSince.remove(component);
            if (since != null) {
                queue("🟢 Dispatch: " + component + " снова в порядке (было DOWN "
                        + Duration.between(since, now).toMinutes() + " мин)");
            }
        }
    }

    private void alert(String text) {
        queue(text);
        flush();
    }

    private void queue(String text) {
        if (waiting.size() >= MAX_WAITING) waiting.removeFirst();
        waiting.addLast(text);
        meters.counter("dispatch.alerts.raised").increment();
    }

    private void flush() {
        while (!waiting.isEmpty() && telegram.send(waiting.peekFirst())) {
            waiting.removeFirst();
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
