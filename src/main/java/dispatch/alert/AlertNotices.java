package dispatch.alert;

import dispatch.platform.Outbox;
import dispatch.platform.OutboxPayload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells alerts: a new one at once, a recurring one again after the repeat interval with the count, a health alert
 * that is over with how long it lasted. Each notice is claimed in the alert's row, recorded, and handed to the outbox
 * in one transaction, so it goes out once whichever instance tells it, and survives a restart or a Telegram outage.
 */
@Component
class AlertNotices {

    static final String KIND = OutboxPayload.kindOf(TelegramDelivery.Notice.class);

    // Bearer/OAuth tokens, user:password@ in URLs, bot tokens in Bot API paths: never in a chat.
    private static final Pattern TOKEN = Pattern.compile("(?i)\\b(bearer|oauth)\\s+[^\\s,;]+");
    private static final Pattern URL_CREDENTIALS = Pattern.compile("://[^/\\s@]+@");
    private static final Pattern BOT_TOKEN = Pattern.compile("/bot\\d+:[A-Za-z0-9_-]+");

    private final AlertLog log;
    private final AlertProperties settings;
    private final Outbox outbox;
    private final TransactionTemplate transaction;
    private final TelegramProperties telegram;
    private final Clock clock;

    AlertNotices(
            AlertLog log,
            AlertProperties settings,
            Outbox outbox,
            TransactionTemplate transaction,
            TelegramProperties telegram,
            Clock clock) {
        this.log = log;
        this.settings = settings;
        this.outbox = outbox;
        this.transaction = transaction;
        this.telegram = telegram;
        this.clock = clock;
    }

    /** Tells what is due within the hourly budget, most severe first; the rest waits for the next round. */
    synchronized void tellDue() {
        Instant now = clock.instant();
        int budget = settings.maxPerHour() - log.noticesSince(now.minus(Duration.ofHours(1)));
        for (Alert alert : log.resolvedUntold()) {
            if (budget <= 0) break;
            if (tell(alert, true, now)) budget--;
        }
        for (Alert alert : log.due(now.minus(settings.repeatAfter()))) {
            if (budget <= 0) break;
            if (tell(alert, false, now)) budget--;
        }
        log.resolveQuiet(now.minus(settings.repeatAfter()), now);
    }

    private boolean tell(Alert alert, boolean over, Instant now) {
        return Boolean.TRUE.equals(transaction.execute(status -> {
            boolean claimed = over ? log.claimResolvedNotice(alert) : log.claimNotice(alert, now);
            if (!claimed) return false;
            if (over && alert.notifiedAt() == null) return false; // its start was never told: nothing to end
            String text = redact(over ? overText(alert) : text(alert));
            long notice = log.notice(alert.id(), text, now);
            if (telegram.enabled()) {
                outbox.enqueue("alert-notice:" + notice, "alert-notice:" + notice, new TelegramDelivery.Notice(text));
            }
            return true;
        }));
    }

    private static String text(Alert alert) {
        String head = alert.severity().icon() + " Dispatch: " + alert.title();
        if (alert.notifiedAt() == null) {
            return head + (alert.occurrences() > 1 ? " (" + alert.occurrences() + ")" : "") + " — " + alert.detail();
        }
        int more = alert.occurrences() - alert.notifiedOccurrences();
        return head + " — ещё " + more + " с прошлого сообщения, всего " + alert.occurrences() + " с "
                + alert.firstSeen() + ". Последнее: " + alert.detail();
    }

    private static String overText(Alert alert) {
        Instant end = alert.resolvedAt() == null ? alert.lastSeen() : alert.resolvedAt();
        return "🟢 Dispatch: " + alert.title() + " — снова в порядке (было "
                + duration(Duration.between(alert.firstSeen(), end)) + ")";
    }

    static String duration(Duration d) {
        if (d.toMinutes() < 1) return d.toSeconds() + " с";
        if (d.toHours() < 2) return d.toMinutes() + " мин";
        return d.toHours() + " ч " + d.toMinutesPart() + " мин";
    }

    static String redact(String text) {
        String safe = TOKEN.matcher(text).replaceAll("$1 ***");
        safe = URL_CREDENTIALS.matcher(safe).replaceAll("://***@");
        return BOT_TOKEN.matcher(safe).replaceAll("/bot***");
    }
}
