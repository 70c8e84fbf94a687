package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored issue. {@code fields} holds every editable value in canonical form: refs by key ({@code status},
 * {@code type}, {@code priority}, {@code resolution}, {@code previousStatus}), users by uid ({@code Long}), lists as
 * {@code List}, datetimes as {@code Instant}, custom fields by key (local ones by full id). Guarded by the Store.
 */
final class Issue implements Serializable {

    final String id;
    final String key;
    final int number;
    final String queue;
    final String unique;
    final Instant createdAt;
    final long createdBy;
    int version = 1;
    Instant updatedAt;
    long updatedBy;
    Instant lastCommentUpdatedAt;
    Map<String, Object> fields = new LinkedHashMap<>();
    List<String> attachmentIds = new ArrayList<>();

    Issue(String id, String queue, int number, String unique, Instant createdAt, long createdBy) {
        this.id = id;
        this.queue = queue;
        this.number = number;
        this.key = queue + "-" + number;
        this.unique = unique;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.updatedAt = createdAt;
        this.updatedBy = createdBy;
    }

    String status() {
        return (String) fields.get("status");
    }

    /** Records a change: version +1, a later timestamp, the author. */
    void touch(Instant at, long uid) {
        version++;
        updatedAt = at;
        updatedBy = uid;
    }

    /** The value the search sees for {@code field} (a canonical field name). */
    Object value(String field) {
        return switch (field) {
            case "key" -> key;
            case "id" -> id;
            case "queue" -> queue;
            case "unique" -> unique;
            case "createdAt" -> createdAt;
            case "updatedAt" -> updatedAt;
            case "createdBy" -> createdBy;
            case "updatedBy" -> updatedBy;
            case "lastCommentUpdatedAt" -> lastCommentUpdatedAt;
            default -> fields.get(field);
        };
    }
}
