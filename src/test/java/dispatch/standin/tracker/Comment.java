package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;

/** A stored comment; the service only writes plain ones ({@code type} standard, {@code transport} internal). */
final class Comment implements Serializable {

    final long id;
    final String longId;
    final String issueKey;
    final Instant createdAt;
    final long createdBy;
    final List<String> attachmentIds;
    String text;
    Instant updatedAt;
    long updatedBy;
    int version = 1;

    Comment(long id, String longId, String issueKey, String text, List<String> attachmentIds, Instant at, long uid) {
        this.id = id;
        this.longId = longId;
        this.issueKey = issueKey;
        this.text = text;
        this.attachmentIds = List.copyOf(attachmentIds);
        this.createdAt = at;
        this.createdBy = uid;
        this.updatedAt = at;
        this.updatedBy = uid;
    }
}
