/** Cross-cutting infrastructure: settings, scheduling with ShedLock, outbox, clock, start-up diagnostics. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {})
@org.jspecify.annotations.NullMarked
package dispatch.platform;
