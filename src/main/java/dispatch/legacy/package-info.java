/**
 * Taking over from the old service: the {@code legacy-import} command copies its database (docs/legacy-import.md).
 * Bulk writes with preserved ids that no feature facade offers, so this module writes the incident, mail and
 * dispatcher tables itself, one transaction per chunk (declared in docs/legacy-import.md "Ownership").
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"mail", "platform"})
@org.jspecify.annotations.NullMarked
package dispatch.legacy;
