package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** A stored comment; {@code email} is the request's {@code email} object for outgoing email comments. */
final class Comment implements Serializable {

    final long id;
    final String longId;
    final String issueKey;
    final String type;
    final String transport;
    final Instant createdAt;
    final long createdBy;
    final List<String> attachmentIds;
    final ObjectNode email;
    String text;
    Instant updatedAt;
    long updatedBy;
    int version = 1;

    Comment(
            long id,
            String longId,
            String issueKey,
            String text,
            ObjectNode email,
            List<String> attachmentIds,
            Instant at,
            long uid) {
        this.id = id;
        this.longId = longId;
        this.issueKey = issueKey;
        this.text = text;
        this.email = email;
        this.type = email == null ? "standard" : "outcoming";
        this.transport = email == null ? "internal" : "email";
        this.attachmentIds = List.copyOf(attachmentIds);
        this.createdAt = at;
        this.createdBy = uid;
        this.updatedAt = at;
        this.updatedBy = uid;
    }
}
