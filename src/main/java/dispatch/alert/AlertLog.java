package dispatch.alert;

import dispatch.alert.Alert.Kind;
import dispatch.alert.Alert.Severity;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code alert} and {@code alert_notice} tables. Every change is one conditional statement, so instances that
 * raise or tell the same alert at once count it once and tell it once.
 */
@Repository
class AlertLog {

    private static final String COLUMNS = """
            id, fingerprint, severity, kind, title, detail, first_seen, last_seen, occurrences, notified_at,
            notified_occurrences, resolved_at""";

    private final JdbcClient jdbc;

    AlertLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Opens the alert, or counts one more occurrence of the open one with the same fingerprint. */
    void raise(String fingerprint, Severity severity, Kind kind, String title, String detail, Instant at) {
        jdbc.sql("""
                        insert into alert (fingerprint, severity, kind, title, detail, first_seen, last_seen)
                        values (:fingerprint, :severity, :kind, :title, :detail, :at, :at)
                        on conflict (fingerprint) where resolved_at is null do update
                        set occurrences = alert.occurrences + 1, last_seen = excluded.last_seen,
                            detail = excluded.detail, severity = excluded.severity""")
                .param("fingerprint", fingerprint)
                .param("severity", severity.name())
                .param("kind", kind.name())
                .param("title", title)
                .param("detail", detail)
                .param("at", Timestamp.from(at))
                .update();
    }

    void resolve(String fingerprint, Instant at) {
        jdbc.sql("update alert set resolved_at = :at where fingerprint = :fingerprint and resolved_at is null")
                .param("fingerprint", fingerprint)
                .param("at", Timestamp.from(at))
                .update();
    }

    /** Event alerts that were told in full and have not recurred since {@code quietSince}: they are over. */
    int resolveQuiet(Instant quietSince, Instant at) {
        return jdbc.sql("""
                        update alert set resolved_at = :at, resolved_notified = true
                        where kind = 'EVENT' and resolved_at is null and last_seen < :quietSince
                          and notified_occurrences = occurrences""")
                .param("quietSince", Timestamp.from(quietSince))
                .param("at", Timestamp.from(at))
                .update();
    }

    /** Open alerts never told, or told before {@code repeatBefore} and recurring since; most severe first. */
    List<Alert> due(Instant repeatBefore) {
        return jdbc.sql("select " + COLUMNS + """
                         from alert
                        where resolved_at is null
                          and (notified_at is null
                               or (occurrences > notified_occurrences and notified_at < :repeatBefore))
                        order by case severity when 'CRITICAL' then 0 when 'WARNING' then 1 else 2 end, first_seen
                        limit 100""")
                .param("repeatBefore", Timestamp.from(repeatBefore))
                .query(AlertLog::alert)
                .list();
    }

    /** Health alerts that are over and were told when they began, but not yet that they are over. */
    List<Alert> resolvedUntold() {
        return jdbc.sql("select " + COLUMNS + """
                         from alert
                        where resolved_at is not null and not resolved_notified and kind = 'HEALTH'
                        order by resolved_at limit 100""").query(AlertLog::alert).list();
    }

    /** Marks the alert told up to {@code occurrences}; false when another instance told it meanwhile. */
    boolean claimNotice(Alert alert, Instant at) {
        return jdbc.sql("""
                        update alert set notified_at = :at, notified_occurrences = :occurrences
                        where id = :id and notified_occurrences = :before and resolved_at is null""")
                        .param("at", Timestamp.from(at))
                        .param("occurrences", alert.occurrences())
                        .param("id", alert.id())
                        .param("before", alert.notifiedOccurrences())
                        .update()
                == 1;
    }

    /** Marks the end of an alert told; false when another instance told it (or it was never told at all). */
    boolean claimResolvedNotice(Alert alert) {
        return jdbc.sql("""
                        update alert set resolved_notified = true
                        where id = :id and not resolved_notified""").param("id", alert.id()).update() == 1;
    }

    long notice(long alertId, String text, Instant at) {
        return jdbc.sql("insert into alert_notice (alert_id, text, sent_at) values (:alert, :text, :at) returning id")
                .param("alert", alertId)
                .param("text", text)
                .param("at", Timestamp.from(at))
                .query(Long.class)
                .single();
    }

    int noticesSince(Instant since) {
        return jdbc.sql("select count(*) from alert_notice where sent_at >= :since")
                .param("since", Timestamp.from(since))
                .query(Integer.class)
                .single();
    }

    List<Alert> list(boolean openOnly, int limit) {
        return jdbc.sql("select " + COLUMNS + " from alert"
                        + (openOnly ? " where resolved_at is null" : "")
                        + " order by last_seen desc, id desc limit :limit")
                .param("limit", limit)
                .query(AlertLog::alert)
                .list();
    }

    /** The last notices told, newest first. */
    List<Notice> notices(int limit) {
        return jdbc.sql("select alert_id, sent_at, text from alert_notice order by sent_at desc, id desc limit :limit")
                .param("limit", limit)
                .query((rs, n) -> new Notice(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)))
                .list();
    }

    record Notice(long alertId, Instant sentAt, String text) {}

    // --- consecutive DOWN checks of health components ---

    /** Counts one more DOWN check of the component; returns how many in a row now. */
    int downCheck(String component, String reason, Instant at) {
        return jdbc.sql("""
                        insert into alert_health_check (component, down_checks, reason, checked_at)
                        values (:component, 1, :reason, :at)
                        on conflict (component) do update
                        set down_checks = alert_health_check.down_checks + 1, reason = excluded.reason,
                            checked_at = excluded.checked_at
                        returning down_checks""")
                .param("component", component)
                .param("reason", reason)
                .param("at", Timestamp.from(at))
                .query(Integer.class)
                .single();
    }

    void upCheck(String component) {
        jdbc.sql("delete from alert_health_check where component = :component")
                .param("component", component)
                .update();
    }

    Optional<Alert> open(String fingerprint) {
        return jdbc.sql("select " + COLUMNS + " from alert where fingerprint = :f and resolved_at is null")
                .param("f", fingerprint)
                .query(AlertLog::alert)
                .optional();
    }

    private static Alert alert(ResultSet rs, int row) throws SQLException {
        return new Alert(
                rs.getLong("id"),
                rs.getString("fingerprint"),
                Severity.valueOf(rs.getString("severity")),
                Kind.valueOf(rs.getString("kind")),
                rs.getString("title"),
                rs.getString("detail"),
                rs.getTimestamp("first_seen").toInstant(),
                rs.getTimestamp("last_seen").toInstant(),
                rs.getInt("occurrences"),
                instant(rs.getTimestamp("notified_at")),
                rs.getInt("notified_occurrences"),
                instant(rs.getTimestamp("resolved_at")));
    }

    private static @Nullable Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
