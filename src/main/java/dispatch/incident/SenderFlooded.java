package dispatch.incident;

import java.time.Duration;

/**
 * A sender went over its new-incident limit: its further new-incident mail is held (published once per flood, when
 * the first mail is held).
 *
 * @param sender the address, or {@code @domain} when the whole domain went over its limit
 * @param opened incidents the sender opened within the window
 * @param window the window of the limit
 */
public record SenderFlooded(String sender, long opened, Duration window) {}
