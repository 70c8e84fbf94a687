package dispatch.alert;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How alerts are told (README "Alerts", decision 0023).
 *
 * @param repeatAfter an open alert that keeps recurring is told again at most this often, with the count; an event
 *     alert that has not recurred for this long is over
 * @param maxPerHour at most this many notices per hour for the whole desk; the rest wait, most severe first
 */
@Validated
@ConfigurationProperties("dispatch.alerts")
public record AlertProperties(
        @NotNull @DefaultValue("1h") Duration repeatAfter,
        @Min(1) @DefaultValue("30") int maxPerHour) {}
