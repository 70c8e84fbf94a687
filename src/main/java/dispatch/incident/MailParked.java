package dispatch.incident;

/**
 * Threading a stored mail failed for a reason that is about the mail (or the database kept failing on it): it is
 * parked until a person replays it ({@code POST /api/v1/admin/mail/parked/{mailId}/replay}). Published in the
 * transaction that parks it; listen after commit.
 */
public record MailParked(long mailId, String reason) {}
