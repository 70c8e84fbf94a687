package dispatch.platform;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Keys an admin can search structured logs by (README "Logs", decision 0031), put in the log context around one piece
 * of work: {@code try (var logged = LogContext.put(LogContext.INCIDENT, code)) { ... }}. Closing puts back what the key
 * held before, so nothing leaks to the next job on a pooled thread and an inner scope does not clear an outer one.
 */
public final class LogContext implements AutoCloseable {

    /** An incident's code, e.g. {@code INC-1042}. */
    public static final String INCIDENT = "incident";
    /** A mail's Message-ID as stored. */
    public static final String MESSAGE_ID = "messageId";
    /** An outbox delivery's id and kind. */
    public static final String OUTBOX_ID = "outboxId";

    public static final String OUTBOX_KIND = "outboxKind";
    /** The Tracker issue (of one incident) a pull is reconciling. */
    public static final String TRACKER_KEY = "trackerKey";
    /** A mail folder being read, {@code account/ROLE}. */
    public static final String FOLDER = "folder";

    /** Message-IDs come from senders: a bound on what one value adds to every line of its work. */
    private static final int MAX_LENGTH = 256;

    private final String key;
    private final @Nullable String previous;

    private LogContext(String key, @Nullable String previous) {
        this.key = key;
        this.previous = previous;
    }

    /** Sets {@code key} until closed; a null value leaves the context as it is. */
    public static LogContext put(String key, @Nullable Object value) {
        String previous = MDC.get(key);
        if (value != null) {
            String text = value.toString();
            MDC.put(key, text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text);
        }
        return new LogContext(key, previous);
    }

    @Override
    public void close() {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
