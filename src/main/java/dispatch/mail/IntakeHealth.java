package dispatch.mail;

import dispatch.platform.HealthProperties;
import dispatch.platform.StageState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Health "intake": per watched folder, the UIDs above the checkpoint that the server announced (UIDNEXT) since the
 * last read that went through, and when the folder last made progress. DOWN, naming the folder, when a folder has had
 * such mail for longer than {@code DISPATCH_HEALTH_STALLAFTER} without progress. A server that cannot be reached at
 * all announces nothing: health "imap" tells that.
 */
@Component("intakeHealthIndicator")
@ConditionalOnBooleanProperty(name = "dispatch.mail.enabled", matchIfMissing = true)
class IntakeHealth implements HealthIndicator {

    private final JdbcClient jdbc;
    private final MailProperties mail;
    private final HealthProperties settings;
    private final Clock clock;

    IntakeHealth(JdbcClient jdbc, MailProperties mail, HealthProperties settings, Clock clock, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.mail = mail;
        this.settings = settings;
        this.clock = clock;
        for (MailProperties.Account account : mail.accounts()) {
            for (FolderRole role : FolderRole.values()) {
                StageState.gauges(
                        meters,
                        Tags.of("stage", "intake", "folder", account.name() + "/" + role),
                        () -> folders().getOrDefault(account.name() + "/" + role, StageState.idle(null)),
                        clock);
            }
        }
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        Health.Builder health = Health.up();
        List<String> stalled = new ArrayList<>();
        folders().forEach((folder, state) -> {
            health.withDetail(
                    folder, Map.of("waiting", state.waiting(), "lastProgress", String.valueOf(state.lastProgress())));
            if (state.stalled(now, settings.stallAfter())) {
                stalled.add(
                        folder + ": " + state.reason("UIDs waiting above the checkpoint", now, settings.stallAfter()));
            }
        });
        if (!stalled.isEmpty()) health.down().withDetail("reason", String.join("; ", stalled));
        return health.build();
    }

    /** Each watched folder as {@code account/ROLE}, with its stage state. */
    private Map<String, StageState> folders() {
        Map<String, StageState> folders = new LinkedHashMap<>();
        List<String> accounts =
                mail.accounts().stream().map(MailProperties.Account::name).toList();
        jdbc.sql("""
                        select account, role, last_uid, uid_next, uid_next_read, read_at, updated_at from mail_folder
                         where account = any(cast(:accounts as text[])) order by account, role, id
                        """).param("accounts", accounts.toArray(String[]::new)).query(rs -> {
            folders.put(rs.getString(1) + "/" + rs.getString(2), state(rs));
        });
        return folders;
    }

    /** Work waits when the server announced UIDs above the checkpoint that no complete read has covered yet. */
    private static StageState state(ResultSet rs) throws SQLException {
        long lastUid = rs.getLong(3);
        long uidNext = rs.getLong(4);
        long coveredUpTo = rs.getLong(5);
        Instant readAt = instant(rs.getTimestamp(6));
        Instant advancedAt = instant(rs.getTimestamp(7));
        Instant progress = readAt == null || (advancedAt != null && advancedAt.isAfter(readAt)) ? advancedAt : readAt;
        boolean waits = uidNext > coveredUpTo && uidNext - 1 > lastUid;
        if (!waits) return StageState.idle(progress);
        return new StageState(uidNext - 1 - lastUid, readAt != null ? readAt : advancedAt, progress);
    }

    private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
