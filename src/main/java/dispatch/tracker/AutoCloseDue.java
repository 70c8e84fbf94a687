package dispatch.tracker;

/**
 * The requester did not answer the closure notice in time: Dispatch closes the issue itself, once per notice.
 * Publish it in a transaction.
 *
 * @param noticeId the status history row of the closure notice (what makes the close happen once)
 * @param comment what the closing comment and the incident's history say
 */
public record AutoCloseDue(long incidentId, long noticeId, String comment) {}
