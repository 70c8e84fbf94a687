package dispatch.towerstore;

import dispatch.platform.FeatureSettings;
import dispatch.platform.SafeUrls;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The three TowerStore reports and the import schedule.
 *
 * @param authHeaderName optional header sent with every report request (e.g. {@code Authorization})
 * @param maxAttempts downloads of a report tried this many times on a 5xx answer or an I/O error
 * @param retryBackoff wait before the second attempt; doubled for each further one
 * @param cron when the daily import runs, in {@code cronZone}
 * @param defaultContractorEmails where hand-over mail goes for poles without a known contractor
 */
@Validated
@ConfigurationProperties("dispatch.towerstore")
public record TowerStoreProperties(
        @DefaultValue("true") boolean enabled,
        URI polesUrl,
        URI contractorsUrl,
        URI baseStationsUrl,
        String authHeaderName,
        String authHeaderValue,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("120s") Duration readTimeout,
        @Min(1) @DefaultValue("3") int maxAttempts,
        @NotNull @DefaultValue("5s") Duration retryBackoff,
        @NotBlank @DefaultValue("0 0 20 * * *") String cron,
        @NotBlank @DefaultValue("Europe/Moscow") String cronZone,
        @DefaultValue List<String> defaultContractorEmails)
        implements FeatureSettings {

    @Override
    public String feature() {
        return "towerstore";
    }

    @Override
    public List<String> missingWhenEnabled() {
        List<String> missing = new ArrayList<>();
        if (polesUrl == null) missing.add("poles-url");
        if (contractorsUrl == null) missing.add("contractors-url");
        if (baseStationsUrl == null) missing.add("base-stations-url");
        return missing;
    }

    @Override
    public String summary() {
        return "poles " + SafeUrls.of(polesUrl) + ", import '" + cron + "' " + cronZone;
    }

    @Override
    public String toString() {
        return "TowerStoreProperties[" + summary() + "]";
    }
}
