package dispatch.tracker;

import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which mail became which Tracker comment ({@code tracker_comment}, owned by this feature). */
@Repository
class PushedMails {

    private final JdbcClient jdbc;

    PushedMails(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<String> commentOf(long mailId) {
        return jdbc.sql("select comment_id from tracker_comment where email_message_id = :id")
                .param("id", mailId)
                .query(String.class)
                .optional();
    }

    void recordComment(long mailId, long commentId) {
        jdbc.sql("""
                        insert into tracker_comment (email_message_id, comment_id) values (:id, :comment)
                        on conflict (email_message_id) do update set comment_id = excluded.comment_id,
                            commented_at = now()
                        """)
                .param("comment", Long.toString(commentId))
                .param("id", mailId)
                .update();
    }
}
