package dispatch.tracker;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which mail became which Tracker comment ({@code email_message.tracker_comment_id}, owned by this feature). */
@Repository
class PushedMails {

    private final JdbcClient jdbc;

    PushedMails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> commentOf(long mailId) {
        return jdbc.sql(
                        "select tracker_comment_id from email_message where id = :id and tracker_comment_id is not null")
                .param("id", mailId)
                .query(String.class)
                .optional();
    }

    void recordComment(long mailId, long commentId) {
        jdbc.sql("update email_message set tracker_comment_id = :comment where id = :id")
                .param("comment", Long.toString(commentId))
                .param("id", mailId)
                .update();
    }
}
