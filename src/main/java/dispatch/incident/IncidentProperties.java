package dispatch.incident;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How mail becomes incidents.
 *
 * @param codePrefix incident codes are {@code <prefix>-<n>}, e.g. {@code INC-1042}
 * @param reopenWindow a mail for an incident closed less than this ago attaches to it (and, from outside, acts as
 *     {@code afterClosing} says); later ones open a new one
 * @param afterClosing what a mail from outside does to an incident closed within the reopen window
 * @param dispatchers Tracker logins of the dispatchers who get new incidents (empty: nobody is assigned)
 * @param shiftsFile the dispatchers' shifts, relative to the data directory (docs/dispatchers.md); without the file
 *     every dispatcher is on shift
 * @param assignmentWindow open incidents created within this window count towards a dispatcher's load
 * @param subjectCodeFromKnownSendersOnly a code in the subject only joins an incident when the sender already took
 *     part in it
 * @param sweepInterval how often mail left waiting for threading is picked up (new mail is threaded at once)
 * @param threadingTimeout the longest one mail may hold the threading lock; a mail that takes longer is parked
 */
@Validated
@ConfigurationProperties("dispatch.incident")
public record IncidentProperties(
        @NotBlank
        @Pattern(regexp = "[A-Z][A-Z0-9]{0,9}", message = "must be 1-10 upper-case letters or digits")
        @DefaultValue("INC")
        String codePrefix,

        @NotNull @DefaultValue("72h") Duration reopenWindow,
        @NotNull @DefaultValue("REOPEN") AfterClosing afterClosing,
        @DefaultValue List<String> dispatchers,
        @NotNull @DefaultValue("12h") Duration assignmentWindow,
        @NotBlank @DefaultValue("shifts.txt") String shiftsFile,
        @DefaultValue("false") boolean subjectCodeFromKnownSendersOnly,
        @NotNull @DefaultValue("10s") Duration sweepInterval,
        @NotNull @DefaultValue("30s") Duration threadingTimeout) {

    /** What a mail from outside does to an incident closed within the reopen window (docs/sla.md). */
    public enum AfterClosing {
        /** The incident is unfinished again and its Tracker issue is reopened, naming the sender. */
        REOPEN,
        /**
         * The incident stays closed; the sender is asked (at most twice per incident, never automatic mail) to write
         * a new request.
         */
        ASK_FOR_NEW_REQUEST
    }
}
