/** Retention: a daily job that has each feature remove its old data as configured (decision 0030). */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"alert", "incident", "mail", "platform"})
@org.jspecify.annotations.NullMarked
package dispatch.retention;
