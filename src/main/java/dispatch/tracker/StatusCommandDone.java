package dispatch.tracker;

import dispatch.tracker.StatusCommandIssued.Command;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StatusCommandIssued} was carried out, or cannot be. Publish it in a transaction: the incident's history
 * records the outcome and the issue is moved on (to the paired "notified" status, or to "error" with the reason as
 * its comment) through the outbox, once per command.
 *
 * @param commandId the command's {@link StatusCommandIssued#commandId()}, which tells commands apart
 * @param error what went wrong, in the words the dispatcher reads in Tracker; null when it was done
 * @param dropped recipients the mail was not sent to, each with the reason (from mail: shown escaped)
 */
public record StatusCommandDone(
        long incidentId,
        Command command,
        String commandId,
        @Nullable String error,
        List<String> dropped) {}
