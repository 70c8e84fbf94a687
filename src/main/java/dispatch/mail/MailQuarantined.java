package dispatch.mail;

/** A message could not be parsed or stored; it is kept with its raw bytes and the reason (alerts listen). */
public record MailQuarantined(long folderId, long uid, String reason) {}
