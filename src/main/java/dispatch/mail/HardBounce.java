package dispatch.mail;

/**
 * A delivery status notification saying, with a permanent (5.x.x) status, that mail Dispatch sent (its Message-ID
 * is one of ours, MAC checked) could not be delivered to {@code address}.
 *
 * @param address the final recipient, lower case
 * @param status the DSN status, e.g. {@code 5.1.1}
 * @param originalMessageId our Message-ID of the mail that bounced
 */
public record HardBounce(String address, String status, String originalMessageId) {}
