package dispatch.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.alert.AlertRetention;
import dispatch.incident.IncidentRetention;
import dispatch.mail.MailAttachment;
import dispatch.mail.MailRetention;
import dispatch.mail.Mails;
import dispatch.platform.DispatchProperties;
import dispatch.platform.Outbox;
import dispatch.platform.OutboxPayload;
import dispatch.platform.OutboxRetention;
import dispatch.standin.DispatchIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** The daily retention run removes what is older than configured, and only that, kind by kind. */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.retention.closed-incident-mail=12m",
            "dispatch.retention.parked-mail=30d",
            "dispatch.retention.quarantined-mail=30d",
            "dispatch.retention.finished-outbox=30d",
            "dispatch.retention.alert-history=90d"
        })
class RetentionIntegrationTest {

    private static final Duration DAY = Duration.ofDays(1);

    @OutboxPayload.Kind("retention.test")
    record Probe(String text) implements OutboxPayload {}

    @Autowired
    Retention retention;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DispatchProperties platform;

    @Autowired
    Mails mails;

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    MeterRegistry meters;

    RetentionFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new RetentionFixture(jdbc, platform.dataDirectory());
    }

    @Test
    void mailOfIncidentsClosedLongAgoLosesItsFilesButKeepsItsRows() throws IOException {
        long oldIncident = fixture.incident(DAY.multipliedBy(400));
        long oldMail = fixture.mail(oldIncident, "NEW_INCIDENT");
        String oldAttachment = fixture.attachment(oldMail, null);
        String shared = fixture.attachment(oldMail, null);
        long recentIncident = fixture.incident(DAY.multipliedBy(20));
        long recentMail = fixture.mail(recentIncident, "NEW_INCIDENT");
        fixture.attachment(recentMail, shared); // the same file in a mail retention keeps
        long openMail = fixture.mail(fixture.incident(null), "NEW_INCIDENT");
        double before = removed("mail_raw");

        retention.runOnce();

        assertThat(fixture.rawFile(fixture.rawHash(oldMail))).doesNotExist();
        assertThat(fixture.attachmentFile(oldAttachment)).doesNotExist();
        assertThat(fixture.attachmentFile(shared))
                .as("still named by a kept mail")
                .exists();
        assertThat(fixture.rawFile(fixture.rawHash(recentMail))).exists();
        assertThat(fixture.rawFile(fixture.rawHash(openMail))).exists();
        assertThat(jdbc.queryForObject(
                        "select raw_removed_at is not null from email_message where id = ?", Boolean.class, oldMail))
                .isTrue();
        jdbc.queryForObject("select incident_report_refresh_stale()", Integer.class);
        assertThat(jdbc.queryForObject(
                        "select count(*) from incident_report where incident_id = ?", Integer.class, oldIncident))
                .as("the incident's report row stays")
                .isEqualTo(1);
        List<MailAttachment> attachments = mails.attachments(oldMail);
        assertThat(attachments).hasSize(2).allSatisfy(a -> {
            assertThat(a.file()).isNull();
            assertThat(a.skippedReason()).startsWith("removed by retention on ");
        });
        assertThat(mails.attachments(recentMail))
                .singleElement()
                .satisfies(a -> assertThat(a.file()).exists());
        assertThat(removed("mail_raw") - before).isEqualTo(1);
    }

    @Test
    void parkedAndQuarantinedMailGoAfterTheirDays() throws IOException {
        long oldParked = fixture.mail(null, "PARKED");
        fixture.parked(oldParked, DAY.multipliedBy(31));
        String oldParkedRaw = fixture.rawHash(oldParked);
        long recentParked = fixture.mail(null, "PARKED");
        fixture.parked(recentParked, DAY.multipliedBy(29));
        String oldQuarantined = fixture.quarantined(DAY.multipliedBy(31));
        String recentQuarantined = fixture.quarantined(DAY.multipliedBy(29));
        double parkedBefore = removed("parked_mail");
        double quarantinedBefore = removed("quarantined_mail");

        retention.runOnce();

        assertThat(mailExists(oldParked)).isFalse();
        assertThat(fixture.rawFile(oldParkedRaw)).doesNotExist();
        assertThat(mailExists(recentParked)).isTrue();
        assertThat(fixture.rawFile(fixture.rawHash(recentParked))).exists();
        assertThat(quarantinedHashes()).contains(recentQuarantined).doesNotContain(oldQuarantined);
        assertThat(fixture.rawFile(oldQuarantined)).doesNotExist();
        assertThat(fixture.rawFile(recentQuarantined)).exists();
        assertThat(removed("parked_mail") - parkedBefore).isEqualTo(1);
        assertThat(removed("quarantined_mail") - quarantinedBefore).isEqualTo(1);
    }

    @Test
    void aFinishedDeliveryPastRetentionLosesItsPayloadButItsKeyStillRefusesARepeat() {
        String oldKey = "retention-test:" + UUID.randomUUID();
        String recentKey = "retention-test:" + UUID.randomUUID();
        enqueue(oldKey);
        enqueue(recentKey);
        jdbc.update(
                "update outbox set status = 'DONE', done_at = now() - interval '31 days' where dedup_key = ?", oldKey);
        jdbc.update(
                "update outbox set status = 'DONE', done_at = now() - interval '29 days' where dedup_key = ?",
                recentKey);
        double before = removed("outbox_payload");

        retention.runOnce();

        assertThat(enqueue(oldKey))
                .as("the key of a thinned delivery still refuses it")
                .isFalse();
        assertThat(payload(oldKey)).isEqualTo("{}");
        assertThat(payload(recentKey)).contains("a whole mail");
        assertThat(jdbc.queryForObject(
                        "select count(*) from outbox where dedup_key = ? and status = 'PENDING'",
                        Integer.class,
                        oldKey))
                .isZero();
        assertThat(removed("outbox_payload") - before).isEqualTo(1);
    }

    @Test
    void alertHistoryGoesAfterItsDaysButOpenAlertsStay() {
        long oldResolved = alert("resolved", "now() - interval '91 days'");
        long recentResolved = alert("recent", "now() - interval '89 days'");
        long open = alert("open", "null");
        long oldNotice = notice(open, "now() - interval '91 days'");
        long recentNotice = notice(open, "now() - interval '1 day'");

        retention.runOnce();

        assertThat(ids("alert", oldResolved, recentResolved, open)).containsExactlyInAnyOrder(recentResolved, open);
        assertThat(ids("alert_notice", oldNotice, recentNotice)).containsExactly(recentNotice);
    }

    @Test
    void byDefaultNoMailIsRemoved() throws IOException {
        long oldMail = fixture.mail(fixture.incident(DAY.multipliedBy(4000)), "NEW_INCIDENT");
        String attachment = fixture.attachment(oldMail, null);
        long parked = fixture.mail(null, "PARKED");
        fixture.parked(parked, DAY.multipliedBy(4000));
        String quarantined = fixture.quarantined(DAY.multipliedBy(4000));
        RetentionProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("dispatch.retention", RetentionProperties.class);
        Retention byDefault = new Retention(
                defaults,
                context(IncidentRetention.class),
                context(MailRetention.class),
                context(OutboxRetention.class),
                context(AlertRetention.class),
                meters,
                Clock.systemUTC());

        byDefault.runOnce();

        assertThat(fixture.rawFile(fixture.rawHash(oldMail))).exists();
        assertThat(fixture.attachmentFile(attachment)).exists();
        assertThat(mailExists(parked)).isTrue();
        assertThat(fixture.rawFile(quarantined)).exists();
        assertThat(quarantinedHashes()).contains(quarantined);
        assertThat(jdbc.queryForObject(
                        "select raw_removed_at from email_message where id = ?", java.sql.Timestamp.class, oldMail))
                .isNull();
    }

    @Autowired
    org.springframework.context.ApplicationContext context;

    private <T> T context(Class<T> type) {
        return context.getBean(type);
    }

    private boolean enqueue(String key) {
        return Boolean.TRUE.equals(
                transactions.execute(s -> outbox.enqueue(key, key, new Probe("a whole mail, quoted in full"))));
    }

    private String payload(String key) {
        return jdbc.queryForObject("select payload::text from outbox where dedup_key = ?", String.class, key);
    }

    private boolean mailExists(long id) {
        return jdbc.queryForObject("select exists (select 1 from email_message where id = ?)", Boolean.class, id);
    }

    private List<String> quarantinedHashes() {
        return jdbc.queryForList("select raw_sha256 from mail_quarantine", String.class);
    }

    private long alert(String name, String resolvedAt) {
        return jdbc.queryForObject(
                "insert into alert (fingerprint, severity, kind, title, detail, resolved_at)"
                        + " values (?, 'WARNING', 'EVENT', 't', 'd', " + resolvedAt + ") returning id",
                Long.class,
                "retention-test:" + name + ":" + UUID.randomUUID());
    }

    private long notice(long alertId, String sentAt) {
        return jdbc.queryForObject(
                "insert into alert_notice (alert_id, text, sent_at) values (?, 'told', " + sentAt + ") returning id",
                Long.class,
                alertId);
    }

    private List<Long> ids(String table, Long... candidates) {
        return jdbc.queryForList("select id from " + table + " where id = any(?)", Long.class, (Object) candidates);
    }

    private double removed(String kind) {
        return meters.counter("dispatch.retention.removed", "kind", kind).count();
    }
}
