package dispatch.proof;

import dispatch.standin.EmbeddedDatabase;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * PostgreSQL as a server process of its own for the proof (the embedded binaries the tests use, so the migrations
 * meet the same server version): {@code --data=DIR --port=N}. The data directory is kept, so the process can be
 * stopped (SIGTERM: a fast shutdown) and started again on the same port, which is the proof's "PostgreSQL restarted"
 * scenario. Creates the database {@code dispatch} when missing; prints {@code READY} when it accepts connections.
 */
public final class ProofDatabase {

    private ProofDatabase() {}

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "data", "port");
        EmbeddedPostgres postgres =
                EmbeddedDatabase.persistent(Path.of(a.get("data")), Integer.parseInt(a.get("port")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (IOException e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            }
        }));
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select 1 from pg_database where datname = 'dispatch'")) {
            if (!rs.next()) {
                s.execute("create database dispatch");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create the database dispatch", e);
        }
        System.out.println("READY " + postgres.getJdbcUrl(EmbeddedDatabase.USER, "dispatch"));
        Thread.currentThread().join();
    }
}
