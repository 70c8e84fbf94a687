/** Incidents: the aggregate, threading of mail into incidents, codes, status history, pole and base-station extraction, dispatcher assignment. */
@org.springframework.modulith.ApplicationModule(allowedDependencies = {"mail", "platform", "sla", "towerstore"})
@org.jspecify.annotations.NullMarked
package dispatch.incident;
