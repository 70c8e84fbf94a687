package dispatch.tracker;

import dispatch.incident.Incident;
import dispatch.incident.Incidents;
import dispatch.mail.Mails;
import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import dispatch.platform.DispatchProperties;
import dispatch.platform.LogContext;
import dispatch.platform.OutboxMessage;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * Creates the issue of a new incident (docs/domain.md, "Tracker workflow"). Exactly once: the create
 * carries {@code unique = dispatch:<installation>:incident:<id>}, so a retry after a lost answer gets 409 and the
 * client returns the existing issue; the key is then recorded on the incident.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class IssueCreation extends TrackerWork<PushTriggers.CreateIssue> {

    private static final Logger log = LoggerFactory.getLogger(IssueCreation.class);

    private final TrackerClient client;
    private final Incidents incidents;
    private final Mails mails;
    private final IssueFields fields;
    private final MailMarkdown markdown;
    private final TrackerProperties settings;
    private final String installationId;
    private final Clock clock;
    private final TrackerUploads uploadLog;
    private final DispatcherDirectory dispatchers;

    IssueCreation(
            TrackerClient client,
            Incidents incidents,
            Mails mails,
            IssueFields fields,
            MailMarkdown markdown,
            TrackerProperties settings,
            DispatchProperties platform,
            Clock clock,
            TrackerUploads uploadLog,
            DispatcherDirectory dispatchers) {
        this.client = client;
        this.incidents = incidents;
        this.mails = mails;
        this.fields = fields;
        this.markdown = markdown;
        this.settings = settings;
        this.installationId = platform.installationId();
        this.clock = clock;
        this.uploadLog = uploadLog;
        this.dispatchers = dispatchers;
    }

    @Override
    public Class<PushTriggers.CreateIssue> payloadType() {
        return PushTriggers.CreateIssue.class;
    }

    @Override
    void deliver(OutboxMessage<PushTriggers.CreateIssue> message) {
        long incidentId = message.payload().incident();
        Incident incident = incidents
                .byId(incidentId)
                .orElseThrow(() -> new NoSuchElementException("incident " + incidentId + " is gone"));
        try (var logged = LogContext.put(LogContext.INCIDENT, incident.code())) {
            create(message, incident);
        }
    }

    private void create(OutboxMessage<PushTriggers.CreateIssue> message, Incident incident) {
        long incidentId = incident.id();
        if (incident.trackerKey() != null) return;
        if (incident.poleRegion() != null && settings.excludedRegions().contains(incident.poleRegion())) {
            log.info(
                    "Incident {} is in excluded region {}: not mirrored to Tracker",
                    incident.code(),
                    incident.poleRegion());
            return;
        }
        StoredMail mail = mails.byId(message.payload().mail()).orElseThrow();
        Uploads uploads =
                Uploads.of(message.dedupKey(), mails.attachments(mail.id()), client, uploadLog, settings.maxUploads());
        TrackerIssue issue = client.create(body(incident, mail, uploads), unique(incidentId));
        if (!incidents.linkIssue(incidentId, issue.key())) {
            log.error(
                    "Incident {} already mirrors another issue; {} is a duplicate to remove",
                    incident.code(),
                    issue.key());
            return;
        }
        log.info("Incident {} is Tracker issue {}", incident.code(), issue.key());
    }

    String unique(long incidentId) {
        return unique(installationId, incidentId);
    }

    /** The {@code unique} of the issue this installation creates for an incident. */
    static String unique(String installationId, long incidentId) {
        return "dispatch:" + installationId + ":incident:" + incidentId;
    }

    private Map<String, @Nullable Object> body(Incident incident, StoredMail mail, Uploads uploads) {
        TrackerProperties.Fields keys = fields.keys();
        Recipients recipients = mails.recipients(mail.id());
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("queue", settings.queue());
        body.put(
                "summary",
                incident.summary() == null || incident.summary().isBlank()
                        ? "Инцидент №" + incident.id()
                        : incident.summary());
        String description = markdown.description(
                mail, uploads.notUploaded(), mails.declaredSentAt(mail.id()).orElse(null));
        if (!description.isEmpty()) body.put("description", description);
        body.put("author", settings.robotLogin());
        body.put(keys.databaseId(), incident.id());
        fields.truth(incident, client.localFieldId(keys.incidentType()), clock.instant())
                .forEach((key, value) -> {
                    if (value != null) body.put(key, value);
                });
        body.put(
                keys.newMessage(),
                !mail.outbound() && mail.external() ? IssueFields.NEW_MESSAGE : IssueFields.NO_NEW_MESSAGE);
        if (mail.fromAddress() != null) body.put("emailFrom", mail.fromAddress());
        if (!recipients.to().isEmpty()) body.put("emailTo", recipients.to());
        if (!recipients.cc().isEmpty()) body.put("emailCc", recipients.cc());
        // A login Tracker does not know would make it refuse the issue: the dispatcher assigns one by hand then.
        if (incident.dispatcherLogin() != null && dispatchers.assignable(incident.dispatcherLogin())) {
            body.put("assignee", incident.dispatcherLogin());
        }
        if (!uploads.ids().isEmpty()) body.put("attachmentIds", uploads.ids());
        return body;
    }
}
