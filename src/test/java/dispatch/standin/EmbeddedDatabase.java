package dispatch.standin;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server from the embedded binaries. Tests share one server per JVM and get a fresh database per
 * application context; the dev run keeps its data directory across restarts.
 */
public final class EmbeddedDatabase {

    public static final String USER = "postgres";

    /** System property: a directory for the server's csv log, set before the server starts (benchmarks only). */
    public static final String STATEMENT_LOG = "dispatch.test.statementLog";

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private EmbeddedDatabase() {}

    /** A new, empty database on the JVM-wide server; returns its JDBC URL (user {@value #USER}, no password). */
    public static String newDatabase() {
        String name = "dispatch_test_" + DATABASES.incrementAndGet();
        EmbeddedPostgres server = shared();
        try (Connection c = server.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create test database " + name, e);
        }
        return server.getJdbcUrl(USER, name);
    }

    /** The server whose data lives in {@code dataDirectory} and survives restarts (the dev run). */
    public static EmbeddedPostgres persistent(Path dataDirectory, int port) {
        try {
            return configured()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start PostgreSQL in " + dataDirectory, e);
        }
    }

    private static synchronized EmbeddedPostgres shared() {
        if (shared == null) {
            try {
                shared = configured().start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the embedded PostgreSQL server", e);
            }
        }
        return shared;
    }

    private static EmbeddedPostgres.Builder configured() {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        String log = System.getProperty(STATEMENT_LOG);
        if (log != null) {
            // Benchmarks read PostgreSQL's own statement durations from its csv log (statements are logged only
            // while a benchmark turns log_min_duration_statement on). The server creates one directory level only.
            try {
                Files.createDirectories(Path.of(log));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create " + log, e);
            }
            builder.setServerConfig("logging_collector", "on")
                    .setServerConfig("log_destination", "csvlog")
                    .setServerConfig("log_directory", log)
                    .setServerConfig("log_filename", "postgresql-%Y%m%d-%H%M%S.log")
                    .setServerConfig("log_rotation_size", "0");
        }
        return builder.setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "1000")
                // Tests and the dev run value speed over durability of a crash of the whole machine.
                .setServerConfig("fsync", "off")
                .setServerConfig("synchronous_commit", "off")
                .setServerConfig("full_page_writes", "off")
                .setServerConfig("timezone", "UTC");
    }
}
