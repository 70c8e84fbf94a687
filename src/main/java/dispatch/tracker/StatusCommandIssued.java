package dispatch.tracker;

import java.time.Instant;

/**
 * A dispatcher set a "notify" status in Tracker: the command to send an auto-reply. Published once per time the
 * status is set (the incident's status history records the pending command), in the reconcile transaction; listen
 * after commit.
 *
 * @param issueUpdatedAt the issue's {@code updatedAt} when the command was seen
 */
public record StatusCommandIssued(long incidentId, String trackerKey, Command command, Instant issueUpdatedAt) {

    /** What the dispatcher asked for. */
    public enum Command {
        /** Tell the operator (the requester) the incident is being worked on. */
        OPERATOR_IN_WORK,
        /** Tell the operator the incident is closed. */
        OPERATOR_CLOSED,
        /** Hand the incident over to the pole's contractor. */
        CONTRACTOR_IN_WORK
    }
}
