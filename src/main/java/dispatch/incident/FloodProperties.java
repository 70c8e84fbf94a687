package dispatch.incident;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Flood protection of new incidents (README "Mail abuse limits", decision 0012): a sender that opened this many
 * incidents within the window has its further new-incident mail held for an admin, or until the window passes.
 *
 * @param enabled whether mail is ever held
 * @param perAddress incidents one sender address may open within the window
 * @param perDomain incidents all senders of one domain together may open within the window
 * @param window the sliding window, and how long a held mail waits before it is released by itself
 * @param allowList addresses or {@code @domain}s never held (with the robot senders of the mail settings)
 */
@Validated
@ConfigurationProperties("dispatch.incident.flood")
public record FloodProperties(
        @DefaultValue("true") boolean enabled,
        @Min(1) @DefaultValue("30") int perAddress,
        @Min(1) @DefaultValue("200") int perDomain,
        @NotNull @DefaultValue("1h") Duration window,
        @DefaultValue List<String> allowList) {}
