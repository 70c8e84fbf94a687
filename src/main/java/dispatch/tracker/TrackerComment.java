package dispatch.tracker;

import java.time.Instant;

/** A comment on an issue. */
record TrackerComment(long id, String text, Instant createdAt) {}
