package dispatch.mail;

/**
 * A message was stored for the first time (published in the storing transaction; listen after commit). Threading
 * also finds such messages by their empty match method, so a lost event only delays them.
 *
 * @param emailMessageId the row id of the stored message
 * @param outbound true for mail found in a Sent folder
 */
public record MailReceived(long emailMessageId, boolean outbound) {}
