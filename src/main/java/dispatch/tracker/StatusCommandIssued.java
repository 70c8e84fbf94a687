package dispatch.tracker;

/**
 * A dispatcher set a "notify" status in Tracker: the command to send an auto-reply. Published once per time the
 * status is set (the incident's status history records the pending command), in the reconcile transaction; listen
 * after commit.
 *
 * @param commandId assigned by Dispatch when it first sees the status set (kept in the {@code STATUS_COMMAND} event):
 *     what tells commands apart, whatever Tracker does to the issue afterwards
 */
public record StatusCommandIssued(long incidentId, String trackerKey, Command command, String commandId) {

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
