package dispatch.retention;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.Period;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long data is kept (README "Retention"); zero keeps it for ever. What a person might still need is kept by
 * default: mail files of closed incidents, parked and quarantined mail.
 *
 * @param closedIncidentMail raw messages and attachment files of incidents closed longer ago ({@code 12m}: months)
 * @param parkedMail mail parked by threading (waiting for a person) longer ago is deleted
 * @param quarantinedMail quarantined mail (replayed or not) stored longer ago is deleted
 * @param finishedOutbox deliveries done longer ago lose their payload; their dedup key stays
 * @param alertHistory alert notices sent and alerts resolved longer ago are deleted
 * @param cron when the daily run starts (server time zone)
 */
@Validated
@ConfigurationProperties("dispatch.retention")
public record RetentionProperties(
        @NotNull @DefaultValue("0d") Period closedIncidentMail,
        @NotNull @DefaultValue("0d") Duration parkedMail,
        @NotNull @DefaultValue("0d") Duration quarantinedMail,
        @NotNull @DefaultValue("30d") Duration finishedOutbox,
        @NotNull @DefaultValue("180d") Duration alertHistory,
        @NotNull @DefaultValue("0 40 3 * * *") String cron) {}
