package dispatch.platform;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings shared by every feature.
 *
 * @param installationId names this installation in idempotency keys sent to other systems (Tracker {@code unique});
 *     it must never change once issues were created, and must differ between installations sharing a Tracker org
 * @param timeZone the zone in which times are shown to people (Tracker texts, mails, reports)
 * @param dataDirectory where raw mail, attachments and other files live (never served publicly)
 * @param schedulingEnabled whether background jobs run; tests switch it off and drive jobs by hand
 */
@Validated
@ConfigurationProperties("dispatch")
public record DispatchProperties(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,39}", message = "must be 1-40 lower-case letters, digits or -")
        String installationId,

        @NotNull @DefaultValue("Europe/Moscow") ZoneId timeZone,
        @NotNull @DefaultValue("data") Path dataDirectory,
        @DefaultValue("true") boolean schedulingEnabled) {}
