package dispatch.standin.tracker;

import java.io.Serializable;
import java.time.Instant;

/** An uploaded file; it can be attached to issues and comments by {@code id}. */
record Attachment(String id, String name, String mimetype, byte[] content, Instant createdAt, long createdBy)
        implements Serializable {}
