/** Incidents: the aggregate, threading of mail into incidents, codes, status history, pole and base-station extraction, dispatcher assignment. */
@org.jspecify.annotations.NullMarked
package dispatch.incident;
