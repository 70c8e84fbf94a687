package dispatch.platform;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The outbox worker that carries out side effects on other systems.
 *
 * @param concurrency deliveries in flight at once (each for a different ordering key)
 * @param lease how long a claimed delivery is reserved; after a crash it is retried once the lease ran out
 * @param maxAttempts attempts before a delivery is marked FAILED and needs a person
 * @param initialBackoff wait after the first failure, doubled per attempt (with jitter) up to {@code maxBackoff}
 * @param pollInterval how often due deliveries are looked for (new ones also wake the worker at once)
 */
@Validated
@ConfigurationProperties("dispatch.outbox")
public record OutboxProperties(
        @Min(1) @Max(32) @DefaultValue("4") int concurrency,
        @NotNull @DefaultValue("5m") Duration lease,
        @Min(1) @DefaultValue("20") int maxAttempts,
        @NotNull @DefaultValue("5s") Duration initialBackoff,
        @NotNull @DefaultValue("15m") Duration maxBackoff,
        @NotNull @DefaultValue("1s") Duration pollInterval) {}
