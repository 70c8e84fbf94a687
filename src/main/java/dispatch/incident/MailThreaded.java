package dispatch.incident;

import dispatch.mail.MatchMethod;

/**
 * A stored mail was threaded into an incident (published in the threading transaction; listen after commit).
 *
 * @param method how it was matched
 * @param reopened true when the mail arrived for an incident closed within the reopen window
 * @param opened true when this mail opened the incident (it is the incident's first mail, announced by
 *     {@link IncidentOpened} just before)
 */
public record MailThreaded(long mailId, long incidentId, MatchMethod method, boolean reopened, boolean opened) {}
