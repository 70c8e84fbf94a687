/** REST API for reports and the small admin endpoints. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"incident", "platform", "sla"})
@org.jspecify.annotations.NullMarked
package dispatch.api;
