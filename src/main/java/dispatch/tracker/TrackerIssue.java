package dispatch.tracker;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * An issue as Tracker returned it: the parts Dispatch reads, plus the whole JSON object for custom fields.
 *
 * @param assigneeUid the assignee's uid as Tracker sends it in user refs ({@code assignee.id}), or null
 * @param resolvedAt Tracker's resolution time when present
 * @param json the issue object; custom fields are top-level keys (local fields under their full id)
 */
record TrackerIssue(
        String key,
        String id,
        long version,
        String statusKey,
        Instant createdAt,
        Instant updatedAt,
        @Nullable Instant resolvedAt,
        @Nullable String assigneeUid,
        JsonNode json) {

    /** A field's value as text: null when absent, JSON null or blank; numbers as their decimal text. */
    @Nullable
    String text(String field) {
        throw new UnsupportedOperationException("stub");
    }

    /** A datetime field (any ISO-8601 offset form Tracker returns, e.g. {@code 2017-06-11T05:16:01.339+0000}). */
    Optional<Instant> time(String field) {
        throw new UnsupportedOperationException("stub");
    }
}
