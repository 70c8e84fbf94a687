package dispatch.tracker;

/** A Tracker user; {@code uid} is what user refs carry as {@code id}. */
record TrackerUser(String login, String uid, String display) {}
