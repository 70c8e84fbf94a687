package dispatch.api;

import dispatch.platform.FeatureSettings;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the REST API and the actuator (README "Authorization").
 *
 * @param tokens named read tokens, e.g. {@code DISPATCH_API_TOKENS_REPORTS=<secret>}
 * @param adminTokens named tokens for the admin endpoints (they may read too)
 * @param anonymousRead lets anyone read the reports API without a token (off unless explicitly enabled)
 * @param requestsPerMinute per-token rate limit, besides the gateway's per-IP limit
 * @param metricsToken lets a scraper read {@code /actuator/prometheus} from anywhere (blank: no such token)
 * @param metricsNetworks where {@code /actuator/prometheus} may be read from without a token, when the connection comes
 *     straight from there (not forwarded by a proxy)
 */
@Validated
@ConfigurationProperties("dispatch.api")
public record ApiProperties(
        @DefaultValue Map<String, @Secret String> tokens,
        @DefaultValue Map<String, @Secret String> adminTokens,
        @DefaultValue("false") boolean anonymousRead,
        @Min(1) @DefaultValue("600") int requestsPerMinute,
        @Secret.Optional @Nullable String metricsToken,

        @DefaultValue({"127.0.0.0/8", "::1", "172.16.0.0/12"})
        List<
                        @Pattern(
                                regexp = "[0-9A-Fa-f.:]+(/[0-9]{1,3})?",
                                message = "must be an IP address or a network like 172.16.0.0/12")
                        String>
                metricsNetworks)
        implements FeatureSettings {

    @Override
    public String feature() {
        return "api";
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public String offSwitch() {
        return "anonymous-read=true";
    }

    @Override
    public List<String> missingWhenEnabled() {
        List<String> missing = new ArrayList<>();
        if (tokens.isEmpty() && !anonymousRead) missing.add("tokens.reports");
        return missing;
    }

    @Override
    public String summary() {
        return "read tokens " + tokens.keySet() + ", admin tokens " + adminTokens.keySet()
                + (FeatureSettings.blank(metricsToken) ? "" : ", a metrics token")
                + ", metrics without a token from " + metricsNetworks
                + (anonymousRead ? ", ANONYMOUS READ ALLOWED" : "");
    }

    @Override
    public String toString() {
        return "ApiProperties[" + summary() + "]";
    }
}
