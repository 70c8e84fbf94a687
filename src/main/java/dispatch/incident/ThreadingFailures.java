package dispatch.incident;

import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import org.springframework.transaction.annotation.Transactional;

/**
 * Mail whose threading failed ({@code threading_failure}, owned by this feature): waiting for a retry after a database
 * error, or parked for a person. The mail itself leaves the threading queue: its match method is {@link MatchMethod#RETRY} or
 * {@link MatchMethod#PARKED} until it is released (decision 0014).
 */
@Repository
class ThreadingFailures {

    /** After this many failed attempts a database error is no longer taken for a passing one. */
    static final int MAX_RETRIES = 10;

    private static final Duration FIRST_WAIT = Duration.ofSeconds(10);
    private static final Duration MAX_WAIT = Duration.ofMinutes(10);

    /** What happens to a mail whose threading failed, and why, for an admin. */
    record Verdict(boolean transientCause, String reason) {}

    private static final String SELECT = """
            select f.email_message_id, m.message_id, left(m.subject, 200), m.from_address, m.stored_at,
                   f.state, f.attempts, f.next_at, f.reason, f.first_failed_at, f.failed_at
              from threading_failure f join email_message m on m.id = f.email_message_id
             where m.match_method = f.state
            """;

    private final JdbcClient jdbc;
    private final Mails mails;

    ThreadingFailures(JdbcClient jdbc, Mails mails) {
        this.jdbc = jdbc;
        this.mails = mails;
    }

    /**
     * Transient: the database was unreachable or refused for a reason that passes (a lock not granted, a
     * serialization failure, a connection lost), unless the mail ran past its time limit. Anything else, an
     * {@link Error} included, is about this mail and parks it. The caller rethrows JVM errors other than a stack
     * overflow before asking: they are not about one mail.
     */
    static Verdict classify(Throwable thrown, Duration took, Duration limit) {
        // A rollback on a connection the database already closed hides what went wrong first.
        Throwable e = thrown instanceof TransactionSystemException t && t.getApplicationException() != null
                ? t.getApplicationException()
                : thrown;
        String cause = describe(e);
        if (took.compareTo(limit) >= 0) {
            return new Verdict(
                    false, "threading took " + took.toMillis() + " ms, over the limit of " + limit + ": " + cause);
        }
        boolean transientCause = e instanceof TransientDataAccessException
                || e instanceof DataAccessResourceFailureException
                || e instanceof RecoverableDataAccessException
                || e instanceof CannotCreateTransactionException
                || transientState(e);
        return new Verdict(transientCause, cause);
    }

    /**
     * PostgreSQL's own word where Spring's translation is generic: connection lost (08), serialization failure or
     * deadlock (40), out of resources (53), lock not granted (55P03), server shutting down (57P01-57P03).
     */
    private static boolean transientState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("08")
                        || state.startsWith("40")
                        || state.startsWith("53")
                        || state.equals("55P03")
                        || state.startsWith("57P0");
            }
        }
        return false;
    }

    /** The exception's type and message; for a database error, PostgreSQL's own message, not the whole statement. */
    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        if (e instanceof StackOverflowError) message = " (the mail nests or repeats something too deeply)";
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                message = ": " + sql.getMessage() + " [SQLSTATE " + sql.getSQLState() + "]";
                break;
            }
        }
        String text = e.getClass().getSimpleName() + message;
        return text.length() > 2000 ? text.substring(0, 2000) : text;
    }

    /** Failed attempts recorded so far for a mail (0 for none). */
    int attempts(long mailId) {
        return jdbc.sql("select attempts from threading_failure where email_message_id = :id")
                .param("id", mailId)
                .query(Integer.class)
                .optional()
                .orElse(0);
    }

    /** Records a failed attempt: for a retry, with the time it is due again. */
    void record(long mailId, MatchMethod state, int attempts, String reason) {
        Duration wait = backoff(attempts);
        jdbc.sql("""
                        insert into threading_failure (email_message_id, state, attempts, next_at, reason)
                        values (:id, :state, :attempts, case when :state = 'RETRY'
                                then now() + cast(:wait as interval) end, :reason)
                        on conflict (email_message_id) do update set state = excluded.state,
                            attempts = excluded.attempts, next_at = excluded.next_at, reason = excluded.reason,
                            failed_at = now()
                        """)
                .param("id", mailId)
                .param("state", state.name())
                .param("attempts", attempts)
                .param("wait", wait.toMillis() + " milliseconds")
                .param("reason", reason)
                .update();
    }

    static Duration backoff(int attempts) {
        Duration wait = FIRST_WAIT.multipliedBy(1L << Math.min(attempts - 1, 20));
        return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
    }

    /** Puts the mails whose retry is due back into the threading queue, and forgets the ones threaded since. */
    int releaseDue() {
        jdbc.sql("""
                        delete from threading_failure f using email_message m
                         where f.email_message_id = m.id and f.state = 'RETRY'
                           and m.match_method is not null and m.match_method <> 'RETRY'
                        """).update();
        List<Long> due = jdbc.sql(
                        "select email_message_id from threading_failure where state = 'RETRY' and next_at <= now()")
                .query(Long.class)
                .list();
        return mails.requeue(due, EnumSet.of(MatchMethod.RETRY));
    }

    /** Puts a parked (or retrying) mail back into the queue with a fresh count; false when there is none. */
    @Transactional
    boolean release(long mailId) {
        int gone = jdbc.sql("delete from threading_failure where email_message_id = :id")
                .param("id", mailId)
                .update();
        return gone == 1 && mails.requeue(List.of(mailId), EnumSet.of(MatchMethod.RETRY, MatchMethod.PARKED)) == 1;
    }

    /** Parked mail, then mail waiting for a retry, oldest failure first, at most 500. */
    List<SetAsideMail> list() {
        return jdbc.sql(SELECT + " order by f.state, f.first_failed_at, f.email_message_id limit 500")
                .query(ThreadingFailures::row)
                .list();
    }

    Optional<SetAsideMail> byMail(long mailId) {
        return jdbc.sql(SELECT + " and f.email_message_id = :id")
                .param("id", mailId)
                .query(ThreadingFailures::row)
                .optional();
    }

    long parked() {
        return jdbc.sql("""
                        select count(*) from threading_failure f join email_message m on m.id = f.email_message_id
                         where f.state = 'PARKED' and m.match_method = 'PARKED'
                        """).query(Long.class).single();
    }

    private static SetAsideMail row(ResultSet rs, int n) throws SQLException {
        Timestamp next = rs.getTimestamp(8);
        return new SetAsideMail(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getTimestamp(5).toInstant(),
                MatchMethod.valueOf(rs.getString(6)),
                rs.getInt(7),
                next == null ? null : next.toInstant(),
                rs.getString(9),
                rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant());
    }
}
