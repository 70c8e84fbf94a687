package dispatch.incident;

/** A new incident was opened from a mail (published in the threading transaction; listen after commit). */
public record IncidentOpened(long incidentId, String code, long firstMailId) {}
