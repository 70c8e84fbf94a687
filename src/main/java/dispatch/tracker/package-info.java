/** Yandex Tracker: HTTP client, field mapping, outbox-driven push, pull and reconcile, status commands. */
@org.jspecify.annotations.NullMarked
package dispatch.tracker;
