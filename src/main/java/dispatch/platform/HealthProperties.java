package dispatch.platform;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How health judges the stages of the pipeline.
 *
 * @param stallAfter a stage (intake per folder, threading, outbox) that has had work without progress for longer is
 *     DOWN in health, which raises a Telegram alert
 */
@Validated
@ConfigurationProperties("dispatch.health")
public record HealthProperties(@NotNull @DefaultValue("5m") Duration stallAfter) {}
