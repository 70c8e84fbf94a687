/** SLA deadlines and SLA status: pure functions (wall clock, business calendars, pauses), calendars, SLA alerts. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"platform"})
@org.jspecify.annotations.NullMarked
package dispatch.sla;
