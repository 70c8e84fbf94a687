package dispatch.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * One reader per folder: a local lock between this instance's threads (poll and IDLE), and a PostgreSQL session
 * advisory lock between instances. A session lock dies with its holder's connection, so a killed instance does not
 * block the folder (a ShedLock lease would, until it expired); keepalives bound how long a vanished host holds it.
 */
final class FolderLock {

    /** First key of the folder locks' two-key advisory locks (a key space of their own). */
    private static final int LOCK_NAMESPACE = 0x6d61696c; // "mail"

    private final DataSource dataSource;
    private final Map<String, ReentrantLock> localLocks = new ConcurrentHashMap<>();

    FolderLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Runs {@code work} holding the lock of {@code name}; empty when another instance holds it (skip this round). */
    <T> Optional<T> whileHeld(String name, Supplier<T> work) throws SQLException {
        ReentrantLock local = localLocks.computeIfAbsent(name, k -> new ReentrantLock());
        local.lock();
        try (Connection lock = dataSource.getConnection()) {
            if (!tryLock(lock, name)) return Optional.empty();
            try {
                return Optional.of(work.get());
            } finally {
                unlock(lock, name);
            }
        } finally {
            local.unlock();
        }
    }

    private static boolean tryLock(Connection connection, String name) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3");
        }
        try (PreparedStatement s =
                connection.prepareStatement("select pg_try_advisory_lock(" + LOCK_NAMESPACE + ", hashtext(?))")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection connection, String name) throws SQLException {
        try (PreparedStatement s =
                connection.prepareStatement("select pg_advisory_unlock(" + LOCK_NAMESPACE + ", hashtext(?))")) {
            s.setString(1, name);
            s.execute();
        }
    }
}
