package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.Incidents;
import dispatch.mail.Mails;
import dispatch.mail.StoredMail;
import dispatch.platform.OutboxMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * A mail from outside reopened a closed incident (docs/sla.md, "Mail after closing"): its issue moves to the reopen
 * status ({@code DISPATCH_TRACKER_STATUSES_REOPENED}) with a transition comment naming the sender. Only a closed issue
 * is moved: a dispatcher who reopened it meanwhile (or an earlier attempt whose answer was lost) is not overruled.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class IssueReopening extends TrackerWork<PushTriggers.ReopenIssue> {

    static final String COMMENT = "Заявка переоткрыта: после закрытия пришло письмо от %s.";

    private static final Logger log = LoggerFactory.getLogger(IssueReopening.class);

    private final TrackerClient client;
    private final Incidents incidents;
    private final Mails mails;
    private final StatusRules statuses;
    private final TrackerProperties.Statuses keys;

    IssueReopening(
            TrackerClient client, Incidents incidents, Mails mails, StatusRules statuses, TrackerProperties settings) {
        this.client = client;
        this.incidents = incidents;
        this.mails = mails;
        this.statuses = statuses;
        this.keys = settings.statuses();
    }

    @Override
    public Class<PushTriggers.ReopenIssue> payloadType() {
        return PushTriggers.ReopenIssue.class;
    }

    @Override
    void deliver(OutboxMessage<PushTriggers.ReopenIssue> message) {
        long incidentId = message.payload().incident();
        String key = incidents.byId(incidentId).map(Incident::trackerKey).orElse(null);
        if (key == null) return; // excluded region: no issue
        if (!statuses.closed(client.get(key).statusKey())) return;
        String sender = mails.byId(message.payload().mail())
                .map(StoredMail::fromAddress)
                .orElse(null);
        String comment = COMMENT.formatted(sender == null ? "неизвестного отправителя" : MailMarkdown.escape(sender));
        if (!client.transition(key, keys.reopened(), comment)) {
            log.warn(
                    "Issue {}: the workflow has no transition from its closed status to {}; add it (README, Tracker"
                            + " queue) or the incident stays open here and closed in Tracker",
                    key,
                    keys.reopened());
            return;
        }
        log.info("Issue {} reopened: a mail from {} arrived after it was closed", key, sender);
    }
}
