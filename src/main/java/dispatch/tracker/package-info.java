/** Yandex Tracker: HTTP client, field mapping, outbox-driven push, pull and reconcile, status commands. */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"incident", "mail", "platform", "sla", "towerstore"})
@org.jspecify.annotations.NullMarked
package dispatch.tracker;
