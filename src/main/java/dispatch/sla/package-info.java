/** SLA deadlines and SLA status: pure functions plus a scheduler for boundary crossings. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package dispatch.sla;
