package dispatch.incident;

/**
 * A mail from outside arrived for an incident closed within the reopen window, and the incident stays closed
 * ({@code DISPATCH_INCIDENT_AFTERCLOSING=ASK_FOR_NEW_REQUEST}): the sender is to be asked for a new request. Published
 * in the threading transaction.
 */
public record ClosedIncidentMailed(long incidentId, String code, long mailId) {}
