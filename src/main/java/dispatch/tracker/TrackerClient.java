package dispatch.tracker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The Yandex Tracker REST API as Dispatch uses it (reference tracker-api.md). Every method retries transient
 * failures itself (429 honouring Retry-After, 5xx, I/O) with exponential backoff and jitter, refreshes the OAuth
 * token on 401, and goes through one circuit breaker; what still fails is a {@link TrackerException}.
 */
class TrackerClient {

    /**
     * {@code POST /v2/issues/} with {@code unique}; when Tracker answers 409 (the issue exists, e.g. our earlier
     * attempt's answer was lost) the existing issue is looked up with {@code _findByUnique} and returned.
     *
     * @param fields the issue body without {@code unique} (queue, summary, custom fields …)
     */
    TrackerIssue create(Map<String, ?> fields, String unique) {
        throw new UnsupportedOperationException("stub");
    }

    /** {@code GET /v2/issues/{key}}; 404 is a {@link TrackerException} with {@code notFound()}. */
    TrackerIssue get(String key) {
        throw new UnsupportedOperationException("stub");
    }

    /** {@code PATCH /v2/issues/{key}} with only the given fields (a null value clears a field). */
    TrackerIssue patch(String key, Map<String, ?> changes) {
        throw new UnsupportedOperationException("stub");
    }

    /** {@code POST /v2/issues/{key}/comments}; returns the comment id. Not retried after the request was sent. */
    long comment(String key, String text, List<String> attachmentIds) {
        throw new UnsupportedOperationException("stub");
    }

    /** Every comment of the issue, oldest first (all pages). */
    List<TrackerComment> comments(String key) {
        throw new UnsupportedOperationException("stub");
    }

    /** {@code POST /v2/attachments/} (multipart {@code file}); returns the temporary attachment id. */
    String upload(String fileName, Path file) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * {@code POST /v2/issues/_search} with {@code {"filter": filter, "order": order}}, every page passed to
     * {@code each} in order. One call when everything fits one page (no trailing empty-page request).
     *
     * @param order e.g. {@code "+updatedAt"}, or null
     * @return the number of search requests made
     */
    int search(Map<String, ?> filter, String order, Consumer<TrackerIssue> each) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Moves the issue to the status with key {@code statusKey} through the first transition leading there, with a
     * transition comment. Returns false when no transition from the current status leads there (nothing is sent).
     */
    boolean transition(String key, String statusKey, String comment) {
        throw new UnsupportedOperationException("stub");
    }

    /** Every user of the organisation (all pages); cached for a few minutes. */
    List<TrackerUser> users() {
        throw new UnsupportedOperationException("stub");
    }

    /** The full API key ({@code <24hex>--key}) of the queue's local field {@code key}; cached. */
    String localFieldId(String key) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Sends an e-mail from the issue ({@code POST /v2/issues/{key}/comments} with an {@code email} object);
     * returns the comment id.
     */
    long emailComment(String key, String subject, String text, String from, List<String> to, List<String> cc) {
        throw new UnsupportedOperationException("stub");
    }
}
