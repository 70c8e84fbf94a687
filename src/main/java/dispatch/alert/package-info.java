/** Telegram alerts for the on-call admins. */
@org.springframework.modulith.ApplicationModule(
        allowedDependencies = {"incident", "mail", "platform", "sla", "towerstore"})
@org.jspecify.annotations.NullMarked
package dispatch.alert;
