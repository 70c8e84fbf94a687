package dispatch.incident;

import dispatch.mail.MatchMethod;

/**
 * A stored mail was threaded into an incident (published in the threading transaction; listen after commit).
 *
 * @param method how it was matched
 * @param reopened true when this mail reopened an incident closed within the reopen window (a mail from outside)
 * @param opened true when this mail opened the incident (it is the incident's first mail, announced by
 *     {@link IncidentOpened} just before)
 */
public record MailThreaded(long mailId, long incidentId, MatchMethod method, boolean reopened, boolean opened) {}
