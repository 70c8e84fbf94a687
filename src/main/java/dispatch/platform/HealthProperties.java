package dispatch.platform;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How health judges the stages of the pipeline.
 *
 * @param stallAfter a stage (intake per folder, threading, outbox) that has had work without progress for longer is
 *     DOWN in health, which raises a Telegram alert
 * @param diskFreeMin health {@code diskSpace} is DOWN when the data directory has less free space (read by Spring
 *     Boot's disk space check through {@code management.health.diskspace.threshold})
 */
@Validated
@ConfigurationProperties("dispatch.health")
public record HealthProperties(
        @NotNull @DefaultValue("5m") Duration stallAfter,
        @NotNull @DefaultValue("1GB") DataSize diskFreeMin) {}
