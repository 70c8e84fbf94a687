package dispatch.retention;

import dispatch.alert.AlertRetention;
import dispatch.incident.IncidentRetention;
import dispatch.mail.MailRetention;
import dispatch.platform.OutboxRetention;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * One retention run: each feature removes its own old data (decision 0030); each kind is logged in one line and
 * counted in {@code dispatch_retention_removed_total{kind}}. A kind whose setting is zero is left alone.
 */
@Service
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private static final String REMOVED = "dispatch.retention.removed";
    private static final List<String> KINDS = List.of(
            "mail_raw",
            "mail_attachment",
            "parked_mail",
            "quarantined_mail",
            "outbox_payload",
            "alert_notice",
            "alert");

    private final RetentionProperties settings;
    private final IncidentRetention incidents;
    private final MailRetention mail;
    private final OutboxRetention outbox;
    private final AlertRetention alerts;
    private final MeterRegistry meters;
    private final Clock clock;

    Retention(
            RetentionProperties settings,
            IncidentRetention incidents,
            MailRetention mail,
            OutboxRetention outbox,
            AlertRetention alerts,
            MeterRegistry meters,
            Clock clock) {
        this.settings = settings;
        this.incidents = incidents;
        this.mail = mail;
        this.outbox = outbox;
        this.alerts = alerts;
        this.meters = meters;
        this.clock = clock;
        // registered at zero, so a dashboard shows the kinds before the first run
        for (String kind : KINDS) meters.counter(REMOVED, "kind", kind);
    }

    /** Removes what the settings allow, kind by kind; a failing kind does not stop the others. */
    public void runOnce() {
        Instant now = clock.instant();
        Period closedMail = settings.closedIncidentMail();
        if (!closedMail.isZero()) {
            Instant cutoff = now.atOffset(ZoneOffset.UTC).minus(closedMail).toInstant();
            run("closed incident mail", cutoff, at -> {
                MailRetention.Removed removed = incidents.removeMailFilesClosedBefore(at);
                removed("mail_raw", removed.messages());
                removed("mail_attachment", removed.attachments());
                log.info(
                        "Retention: raw bytes of {} messages and {} attachments of incidents closed before {} removed"
                                + " ({} files deleted)",
                        removed.messages(),
                        removed.attachments(),
                        at,
                        removed.files());
            });
        }
        ifSet(
                settings.parkedMail(),
                now,
                "parked mail",
                at -> logged("parked_mail", incidents.deleteParkedBefore(at), at));
        ifSet(
                settings.quarantinedMail(),
                now,
                "quarantined mail",
                at -> logged("quarantined_mail", mail.deleteQuarantinedBefore(at), at));
        ifSet(
                settings.finishedOutbox(),
                now,
                "outbox payloads",
                at -> logged("outbox_payload", outbox.thinDoneBefore(at), at));
        ifSet(settings.alertHistory(), now, "alert history", at -> {
            AlertRetention.Removed removed = alerts.purgeBefore(at);
            logged("alert_notice", removed.notices(), at);
            logged("alert", removed.alerts(), at);
        });
    }

    private void ifSet(Duration keep, Instant now, String what, Consumer<Instant> purge) {
        if (!keep.isZero() && !keep.isNegative()) run(what, now.minus(keep), purge);
    }

    private void run(String what, Instant cutoff, Consumer<Instant> purge) {
        try {
            purge.accept(cutoff);
        } catch (RuntimeException e) {
            log.error("Retention of {} failed; the next run tries again", what, e);
        }
    }

    private void logged(String kind, long count, Instant cutoff) {
        removed(kind, count);
        log.info("Retention: {} {} from before {} removed", count, kind, cutoff);
    }

    private void removed(String kind, long count) {
        meters.counter(REMOVED, "kind", kind).increment(count);
    }
}
