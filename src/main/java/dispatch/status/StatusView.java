package dispatch.status;

import dispatch.incident.SetAsideMail;
import dispatch.mail.MailQuarantine;
import dispatch.platform.OutboxDeliveries;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Everything the page shows, already in words and local times: the template only lays it out.
 *
 * @param components each health component: name, UP/DOWN, reason and details
 * @param lastGood when each integration last did its job
 * @param syncLag how far the Tracker pull is behind, in words; null before the first pull
 * @param outboxDue deliveries due now
 * @param oldestDue how long the oldest due delivery waits, in words; null when none is due
 */
public record StatusView(
        String version,
        String startedAt,
        String uptime,
        String now,
        List<Component> components,
        List<LastGood> lastGood,
        @Nullable String syncLag,
        long outboxDue,
        @Nullable String oldestDue,
        List<OutboxDeliveries.Delivery> failed,
        List<MailQuarantine.Waiting> quarantined,
        List<SetAsideMail> parked,
        List<AlertLine> alerts) {

    /** One health component; {@code down} for its CSS class. */
    public record Component(
            String name,
            String status,
            boolean down,
            @Nullable String reason,
            List<String> details) {}

    /** One alert: {@code open} until it is over; {@code lastSeen} in local time. */
    public record AlertLine(
            String severity, boolean open, String title, String detail, int occurrences, String lastSeen) {}

    /** When one integration last completed its work; {@code at} is null when never (since start). */
    public record LastGood(String what, @Nullable String at) {}
}
