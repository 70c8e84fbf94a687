package dispatch.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Lets a database migrated before a comment in an applied migration was edited start with the edited file (decision
 * 0018, update of 2026-12-06). Before Flyway validates, the recorded checksum of such a migration is replaced by the
 * checksum of its text now, but only where it is exactly the checksum of the text as first applied: any other
 * mismatch still fails validation. Spring Boot hands every {@link Callback} bean to Flyway.
 */
@Component
class MigrationCommentEdits implements Callback {

    private static final Logger log = LoggerFactory.getLogger(MigrationCommentEdits.class);

    /** An applied migration whose comments were edited, with Flyway's checksum of the old and of the new text. */
    record Edit(String version, int before, int after) {}

    static final List<Edit> EDITS = List.of(
            // V7: "(reference §6.5)", a document outside the repository, became "(docs/domain.md, "Reports")".
            new Edit("7", -2100393446, 1666152673));

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String table = context.getConfiguration().getTable();
        String schema = context.getConfiguration().getDefaultSchema();
        String name = schema == null ? quote(table) : quote(schema) + "." + quote(table);
        try {
            Connection connection = context.getConnection();
            if (!exists(connection, name)) return;
            for (Edit edit : EDITS) {
                try (PreparedStatement update = connection.prepareStatement(
                        "update " + name + " set checksum = ? where version = ? and checksum = ?")) {
                    update.setInt(1, edit.after());
                    update.setString(2, edit.version());
                    update.setInt(3, edit.before());
                    if (update.executeUpdate() > 0) {
                        log.info(
                                "Migration {}: checksum of its text before a comment edit replaced by the current one",
                                edit.version());
                    }
                }
            }
        } catch (SQLException e) {
            throw new FlywayException("Cannot update the checksums of edited migrations: " + e.getMessage(), e);
        }
    }

    @Override
    public String getCallbackName() {
        return "migration-comment-edits";
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("select to_regclass(?) is not null")) {
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
