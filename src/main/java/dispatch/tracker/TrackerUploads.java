package dispatch.tracker;

import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Files each delivery uploaded to Tracker ({@code tracker_upload}, owned by this feature), so a retry reuses them. */
@Repository
class TrackerUploads {

    private final JdbcClient jdbc;

    TrackerUploads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Tracker file ids by attachment id, of what this delivery uploaded before. */
    Map<Long, String> of(String delivery) {
        Map<Long, String> uploaded = new HashMap<>();
        jdbc.sql("select attachment_id, file_id from tracker_upload where delivery = :delivery")
                .param("delivery", delivery)
                .query(rs -> {
                    uploaded.put(rs.getLong(1), rs.getString(2));
                });
        return uploaded;
    }

    void record(String delivery, long attachmentId, String fileId) {
        jdbc.sql("""
                        insert into tracker_upload (delivery, attachment_id, file_id) values (:delivery, :attachment, :file)
                        on conflict (delivery, attachment_id) do update set file_id = excluded.file_id
                        """)
                .param("delivery", delivery)
                .param("attachment", attachmentId)
                .param("file", fileId)
                .update();
    }
}
