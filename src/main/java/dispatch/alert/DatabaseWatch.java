package dispatch.alert;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The one alert that cannot live in the database: the database being down. Checked on every instance without the
 * scheduler lock (which is in the database too) and told straight to Telegram, twice in a row DOWN, then once UP
 * again; with two instances each tells it, as there is nothing shared left to agree on.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.telegram.enabled", matchIfMissing = true)
class DatabaseWatch {

    private final DataSource database;
    private final TelegramSender telegram;
    private final Clock clock;
    private int downChecks;
    private @Nullable Instant toldDownAt;

    DatabaseWatch(DataSource database, TelegramSender telegram, Clock clock) {
        this.database = database;
        this.telegram = telegram;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = 30_000, initialDelay = 30_000)
    void scheduled() {
        check();
    }

    /** One check: the second failure in a row is told, and the first success after a told failure. */
    public synchronized void check() {
        String error = unreachable();
        if (error != null) {
            if (++downChecks >= 2 && toldDownAt == null) {
                if (telegram.send(AlertNotices.redact("🔴 Dispatch: база данных недоступна — " + error
                        + ". Остальные тревоги записываются, когда она вернётся."))) {
                    toldDownAt = clock.instant();
                }
            }
        } else {
            downChecks = 0;
            if (toldDownAt != null
                    && telegram.send("🟢 Dispatch: база данных снова доступна (было "
                            + AlertNotices.duration(Duration.between(toldDownAt, clock.instant())) + ")")) {
                toldDownAt = null;
            }
        }
    }

    /** Why the database cannot be used, or null when it answers. */
    private @Nullable String unreachable() {
        try (Connection connection = database.getConnection()) {
            return connection.isValid(5) ? null : "соединение не отвечает";
        } catch (SQLException | RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
