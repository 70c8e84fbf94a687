package dispatch.autoreply;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Auto-replies.
 *
 * @param repeatAfter the same auto-reply of an incident is not sent again within this time: a status set twice by
 *     mistake moves the issue to "error" saying when it can be sent again ({@code 0s} turns the guard off)
 * @param copyWait how long a retry waits for the mailbox copy of an earlier attempt that got as far as the send and
 *     lost its record, before it sends again
 * @param maxRecipients at most this many recipients (To and Cc together, the dispatch mailbox's own copy aside); the
 *     rest are dropped and named in Tracker
 * @param ownAddresses aliases of the dispatch mailbox besides {@code DISPATCH_MAIL_SMTP_FROM}: never a recipient
 * @param bounceSuppression an address a hard bounce (5.x.x, about our mail) named is not mailed for this long
 * @param sendAttempts attempts at a send the SMTP server failed for a passing reason (4xx, no connection) before the
 *     issue moves to "error"; a 5xx answer moves it at once
 * @param templates the directory of template files that replace the built-in texts (none: {@code
 *     <dataDirectory>/templates})
 * @param autoCloseAfter after the closure notice, an issue no mail from outside answered within this time is closed
 *     by Dispatch ({@code 0} turns it off)
 * @param sendRetryDelay the wait after the first such failure, doubled per attempt (40s and 5 attempts: ~10 minutes)
 */
@Validated
@ConfigurationProperties("dispatch.autoreply")
public record AutoReplyProperties(
        @NotNull @DefaultValue("60s") Duration repeatAfter,
        @NotNull @DefaultValue("10m") Duration copyWait,
        @Min(1) @DefaultValue("10") int maxRecipients,
        @DefaultValue List<String> ownAddresses,
        @NotNull @DefaultValue("30d") Duration bounceSuppression,
        @Min(1) @DefaultValue("5") int sendAttempts,
        @NotNull @DefaultValue("40s") Duration sendRetryDelay,
        @Nullable Path templates,
        @NotNull @DefaultValue("12h") Duration autoCloseAfter) {}
