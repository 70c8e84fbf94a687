/** Template auto-replies to operators and contractors when a dispatcher sets a notify status. */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"incident", "mail", "platform", "sla", "towerstore", "tracker"})
@org.jspecify.annotations.NullMarked
package dispatch.autoreply;
