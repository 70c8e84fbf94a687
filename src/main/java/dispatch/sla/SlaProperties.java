package dispatch.sla;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The SLA clock's settings; which type uses which clock is in {@code incident_type} (docs/sla.md, "SLA clock").
 *
 * @param calendars the directory of business calendar files, {@code <name>.txt} (none: {@code
 *     <dataDirectory>/calendar})
 */
@Validated
@ConfigurationProperties("dispatch.sla")
public record SlaProperties(@Nullable Path calendars) {}
