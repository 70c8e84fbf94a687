package dispatch.tracker;

import dispatch.platform.FeatureSettings;
import dispatch.platform.SafeUrls;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
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
 * Yandex Tracker access, the queue and the keys of its custom fields and statuses (README: "Yandex Tracker queue
 * setup"). Old variable names of the Python service are mapped in the README.
 *
 * @param orgType which organisation header to send: {@code X-Org-ID} (Yandex 360) or {@code X-Cloud-Org-ID}
 * @param authType {@code OAUTH} sends {@code Authorization: OAuth}, {@code IAM} sends {@code Bearer}
 * @param pollInterval how often changed issues are pulled
 * @param fullSweepInterval how often all open issues are compared, to catch drift
 * @param excludedRegions incidents on poles in these regions are not mirrored to Tracker
 * @param retry how the client retries transient failures (429, 5xx, I/O)
 * @param circuit when the client stops calling an unhealthy Tracker for a while
 * @param maxUploads attachments uploaded per issue or comment at most; the rest are listed by name and size
 */
@Validated
@ConfigurationProperties("dispatch.tracker")
public record TrackerProperties(
        @DefaultValue("true") boolean enabled,

        @NotNull @DefaultValue("https://api.tracker.yandex.net")
        URI baseUrl,

        @NotNull @DefaultValue("https://oauth.yandex.ru/token")
        URI oauthUrl,

        String orgId,
        @NotNull @DefaultValue("YANDEX_360") OrgType orgType,
        @NotNull @DefaultValue("OAUTH") AuthType authType,
        String accessToken,
        String refreshToken,
        String clientId,
        String clientSecret,
        String queue,
        @NotNull @DefaultValue("yndx-tracker-cnt-robot") String robotLogin,
        @Valid @NotNull @DefaultValue Fields fields,
        @Valid @NotNull @DefaultValue Statuses statuses,
        @NotNull @DefaultValue("10s") Duration connectTimeout,
        @NotNull @DefaultValue("30s") Duration readTimeout,
        @NotNull @DefaultValue("10s") Duration pollInterval,
        @NotNull @DefaultValue("1h") Duration fullSweepInterval,
        @DefaultValue List<String> excludedRegions,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue Circuit circuit,
        @Min(0) @Max(100) @DefaultValue("10") int maxUploads)
        implements FeatureSettings {

    public enum OrgType {
        YANDEX_360,
        CLOUD
    }

    public enum AuthType {
        OAUTH,
        IAM
    }

    /**
     * Retries of one Tracker call: exponential backoff {@code initialBackoff × multiplier^(n-1)} capped at
     * {@code maxBackoff}, each wait shortened by up to {@code jitter} (a fraction) at random. A 429 waits its
     * {@code Retry-After} instead; one longer than {@code maxRetryAfter} is not waited for but reported.
     */
    public record Retry(
            @Min(1) @DefaultValue("4") int maxAttempts,
            @NotNull @DefaultValue("500ms") Duration initialBackoff,
            @DecimalMin("1.0") @DefaultValue("2.0") double multiplier,
            @NotNull @DefaultValue("10s") Duration maxBackoff,

            @DecimalMin("0.0") @DecimalMax("1.0") @DefaultValue("0.5")
            double jitter,

            @NotNull @DefaultValue("30s") Duration maxRetryAfter) {}

    /**
     * The circuit breaker: open when at least {@code failureRate} percent of the last {@code window} calls (and at
     * least {@code minimumCalls}) failed with 429, 5xx or no answer; after {@code openWait} a few trial calls decide
     * whether it closes again.
     */
    public record Circuit(
            @Min(1) @Max(100) @DefaultValue("50") int failureRate,
            @Min(1) @DefaultValue("20") int window,
            @Min(1) @DefaultValue("10") int minimumCalls,
            @NotNull @DefaultValue("30s") Duration openWait) {}

    /** Keys of the custom fields (global field ids; {@code incidentType} is the key of a queue-local field). */
    public record Fields(
            @NotBlank @DefaultValue("localId") String databaseId,
            @NotBlank @DefaultValue("localEmailsIds") String emailIds,
            @NotBlank @DefaultValue("poleNumber") String pole,
            @NotBlank @DefaultValue("baseStation") String baseStation,
            @NotBlank @DefaultValue("emailDatetime") String emailDatetime,
            @NotBlank @DefaultValue("isNewMsg") String newMessage,
            @NotBlank @DefaultValue("slaDeadline") String slaDeadline,
            @NotBlank @DefaultValue("slaStatus") String slaStatus,
            @NotBlank @DefaultValue("operatorName") String operatorName,
            @NotBlank @DefaultValue("avrName") String contractorName,
            @NotBlank @DefaultValue("typeOfIncident") String incidentType) {}

    /** Keys of the workflow statuses the service reads and sets. */
    public record Statuses(
            @NotBlank @DefaultValue("open") String open,
            @NotBlank @DefaultValue("inProgress") String inProgress,
            @NotBlank @DefaultValue("needAcceptance") String needAcceptance,
            @NotBlank @DefaultValue("closed") String closed,
            @NotBlank @DefaultValue("error") String error,
            @NotBlank @DefaultValue("onGeneration") String onGeneration,
            @NotBlank @DefaultValue("notifyOperatorInWork") String notifyOperatorInWork,

            @NotBlank @DefaultValue("notifiedOperatorInWork")
            String notifiedOperatorInWork,

            @NotBlank @DefaultValue("notifyOperatorClosed") String notifyOperatorClosed,

            @NotBlank @DefaultValue("notifiedOperatorClosed")
            String notifiedOperatorClosed,

            @NotBlank @DefaultValue("notifyContractorInWork")
            String notifyContractorInWork,

            @NotBlank @DefaultValue("notifiedContractorInWork")
            String notifiedContractorInWork,

            /* Where a mail from outside moves a closed issue it reopens (docs/sla.md). */
            @NotBlank @DefaultValue("open") String reopened) {}

    @Override
    public String feature() {
        return "tracker";
    }

    @Override
    public List<String> missingWhenEnabled() {
        List<String> missing = new ArrayList<>();
        if (FeatureSettings.blank(orgId)) missing.add("org-id");
        if (FeatureSettings.blank(accessToken)) missing.add("access-token");
        if (FeatureSettings.blank(queue)) missing.add("queue");
        return missing;
    }

    @Override
    public String summary() {
        return "queue " + queue + " at " + SafeUrls.of(baseUrl)
                + (FeatureSettings.blank(refreshToken) ? " (no refresh token)" : "");
    }

    @Override
    public String toString() {
        return "TrackerProperties[" + summary() + "]";
    }
}
