package dispatch.api;

import dispatch.platform.FeatureSettings;
import jakarta.validation.constraints.Min;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the REST API.
 *
 * @param tokens named read tokens, e.g. {@code DISPATCH_API_TOKENS_REPORTS=<secret>}
 * @param adminTokens named tokens for the admin endpoints
 * @param anonymousRead lets anyone read the reports API without a token (off unless explicitly enabled)
 * @param requestsPerMinute per-token rate limit, besides the gateway's per-IP limit
 */
@Validated
@ConfigurationProperties("dispatch.api")
public record ApiProperties(
        @DefaultValue Map<String, String> tokens,
        @DefaultValue Map<String, String> adminTokens,
        @DefaultValue("false") boolean anonymousRead,
        @Min(1) @DefaultValue("600") int requestsPerMinute)
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
                + (anonymousRead ? ", ANONYMOUS READ ALLOWED" : "");
    }

    @Override
    public String toString() {
        return "ApiProperties[" + summary() + "]";
    }
}
