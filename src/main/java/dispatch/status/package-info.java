/** The status page for admins without Grafana: reads other features through their facades, acts through them. */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"alert", "incident", "mail", "platform", "towerstore", "tracker"})
@org.jspecify.annotations.NullMarked
package dispatch.status;
