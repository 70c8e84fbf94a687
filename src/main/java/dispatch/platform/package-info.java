/** Cross-cutting infrastructure: settings, scheduling with ShedLock, outbox, clock, start-up diagnostics. */
@org.jspecify.annotations.NullMarked
package dispatch.platform;
