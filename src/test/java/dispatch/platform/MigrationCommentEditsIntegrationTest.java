package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.EmbeddedDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A database migrated before V7's comment was edited (its history holds the old checksum) still starts, and ends with
 * the new checksum; any other mismatch still stops start-up. Flyway is configured as the application configures it.
 */
@DispatchIntegrationTest
class MigrationCommentEditsIntegrationTest {

    private static final MigrationCommentEdits.Edit V7 = MigrationCommentEdits.EDITS.get(0);

    @Autowired
    Flyway configured;

    @Test
    void aDatabaseWithV7sOldChecksumStartsAndEndsWithTheNewOne() throws SQLException {
        String url = EmbeddedDatabase.newDatabase();
        Flyway flyway = flyway(url, true);
        flyway.migrate();
        assertThat(checksum(url))
                .as("the edit's new checksum is Flyway's for V7 now")
                .isEqualTo(V7.after());

        execute(url, "update flyway_schema_history set checksum = " + V7.before() + " where version = '7'");
        assertThatThrownBy(() -> flyway(url, false).validate())
                .as("without the callback the old checksum fails validation")
                .isInstanceOf(FlywayValidateException.class);

        flyway.migrate();
        assertThat(checksum(url)).isEqualTo(V7.after());
    }

    @Test
    void anyOtherChecksumMismatchStillStopsStartUp() throws SQLException {
        String url = EmbeddedDatabase.newDatabase();
        flyway(url, true).migrate();
        execute(url, "update flyway_schema_history set checksum = " + (V7.before() + 1) + " where version = '7'");

        assertThatThrownBy(() -> flyway(url, true).migrate())
                .isInstanceOf(FlywayValidateException.class)
                .hasMessageContaining("checksum mismatch");
        assertThat(checksum(url)).isEqualTo(V7.before() + 1);
    }

    private Flyway flyway(String url, boolean withCallback) {
        var configuration = Flyway.configure().configuration(configured.getConfiguration());
        assertThat(configured.getConfiguration().getCallbacks())
                .hasAtLeastOneElementOfType(MigrationCommentEdits.class);
        if (!withCallback) configuration.callbacks(new Callback[0]);
        return configuration.dataSource(url, EmbeddedDatabase.USER, "").load();
    }

    private static int checksum(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, "");
                Statement s = c.createStatement();
                var rs = s.executeQuery("select checksum from flyway_schema_history where version = '7'")) {
            assertThat(rs.next()).isTrue();
            return rs.getInt(1);
        }
    }

    private static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabase.USER, "");
                Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }
}
