package dispatch.backup;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The backup service's report, watched by health {@code backup}.
 *
 * @param enabled watch {@code <data directory>/backups/status}, which the compose service {@code backup} writes
 * @param maxAge health is DOWN (and alerts) when the last good dump is older, or none came within this long of start
 */
@Validated
@ConfigurationProperties("dispatch.backup")
public record BackupProperties(
        @DefaultValue("false") boolean enabled,
        @NotNull @DefaultValue("13h") Duration maxAge) {}
