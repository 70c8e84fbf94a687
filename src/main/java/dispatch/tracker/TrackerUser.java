package dispatch.tracker;

/**
 * A Tracker user; {@code uid} is what user refs carry as {@code id}; {@code dismissed} for one who left the
 * organisation.
 */
record TrackerUser(String login, String uid, String display, boolean dismissed) {}
