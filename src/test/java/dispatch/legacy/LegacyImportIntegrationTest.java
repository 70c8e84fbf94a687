package dispatch.legacy;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.mail.Mails;
import dispatch.mail.MessageIds;
import dispatch.mail.StoredMail;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailFlow;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * legacy-import against a generated old-service database of a few thousand incidents: what arrives (counts, ids,
 * histories, links), that a second run changes nothing, and that a crash mid-import followed by a re-run ends exactly
 * where an uninterrupted import does.
 */
@DispatchIntegrationTest
class LegacyImportIntegrationTest {

    private static final int INCIDENTS = 3000;
    private static final int CHUNK = 500;
    private static OldServiceDatabase old;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    TowerStore towerStore;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    StandIns standIns;

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    Mails mails;

    @TempDir
    Path media;

    @TempDir
    Path data;

    @BeforeAll
    static void oldDatabase() {
        old = OldServiceDatabase.create();
    }

    @BeforeEach
    void clean() {
        if (towerStore.polesByCode("50123-01").isEmpty()) towerStoreImport.importAll();
        if (old.count("incidents_incident") == 0) {
            List<Map<String, Object>> poles = jdbc.queryForList("""
                    select distinct on (p.id) p.site_id, p.code, b.name as bs_name from pole p join base_station b on b.pole_id = p.id
                     where p.removed_at is null and b.removed_at is null order by p.id, b.name limit 5""");
            old.fill(
                    INCIDENTS,
                    3,
                    poles,
                    jdbc.queryForList("select name from incident_type order by id", String.class),
                    jdbc.queryForList("select name from incident_status order by id", String.class));
        }
        jdbc.execute("truncate incident, email_message cascade");
        jdbc.update("delete from mail_folder where account = ?", LegacyMails.ACCOUNT);
        jdbc.update("delete from dispatcher where login like 'old-%' or login = 'o''brien'");
        jdbc.update("delete from sync_state where key like 'legacy.%'");
    }

    @Test
    void incidentsMailsAndHistoriesArriveWithTheirIds() throws IOException {
        Path file = media.resolve("emails_attachments/2025-01-01/акт 1.pdf");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "%PDF-1.4 акт");

        ImportReport report = importer().run(options(media, false, step -> {}));

        int oldIncidents = old.count("incidents_incident");
        assertThat(report.count("incidents imported")).isEqualTo(oldIncidents);
        assertThat(jdbc.queryForList("select id from incident where imported_at is not null order by id", Long.class))
                .isEqualTo(old.jdbc.queryForList("select id from incidents_incident order by id", Long.class));
        assertThat(histories(
                        jdbc,
                        "incident_status_history h join incident_status s on s.id = h.status_id",
                        "h.at",
                        "h.comment"))
                .isEqualTo(histories(
                        old.jdbc,
                        "incidents_incidentstatushistory h join incidents_incidentstatus s on s.id = h.status_id"
                                + " where s.name <> 'Архив'",
                        "h.insert_date",
                        "h.comments"));
        assertThat(pairs(jdbc, "select id, tracker_key from incident where tracker_key is not null"))
                .hasSize(old.jdbc.queryForObject(
                        "select count(distinct code) from incidents_incident where code is not null", Integer.class))
                .contains("1=DISPATCH-1", "3=DISPATCH-3")
                .doesNotContain("2=DISPATCH-1");
        assertThat(pairs(jdbc, "select id, incident_id from email_message where incident_id is not null"))
                .isEqualTo(pairs(
                        old.jdbc,
                        "select id, email_incident_id from emails_emailmessage where email_incident_id is not null"));
        assertThat(count("email_message")).isEqualTo(old.count("emails_emailmessage"));
        assertThat(count("email_recipient")).isEqualTo(old.count("emails_emailto") + old.count("emails_emailtocc"));
        assertThat(count("email_reference")).isEqualTo(old.count("emails_emailreference"));
        assertThat(count("email_attachment"))
                .isEqualTo(old.count("emails_emailattachment") + old.count("emails_emailintextattachment"));
        assertThat(jdbc.queryForObject("select count(*) from email_message where in_reply_to = ''", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("select count(*) from email_message where match_method is null", Integer.class))
                .as("no imported mail waits for threading (it would open incidents and send auto-replies)")
                .isZero();
        assertThat(jdbc.queryForList(
                        "select skipped_reason from email_attachment where email_message_id = 4 order by position",
                        String.class))
                .containsExactly("file path outside the media directory", "file missing in the media directory");
        String sha = jdbc.queryForObject(
                "select sha256 from email_attachment where email_message_id = 1 and not inline", String.class);
        assertThat(data.resolve("attachments").toFile().exists()).isTrue();
        assertThat(sha).hasSize(64);
        assertThat(report.unmappedCounts())
                .containsKeys(
                        "pole code unknown in TowerStore",
                        "incident type unknown here: kept without type",
                        "status unknown here: history row skipped",
                        "Tracker key already used by another incident: kept without it",
                        "attachment file path outside the media directory");
        assertThat(jdbc.queryForObject(
                        "select login from dispatcher d join incident i on i.dispatcher_id = d.id" + " where i.id = 1",
                        String.class))
                .isEqualTo("old-petrov");
        long newId = jdbc.queryForObject(
                "insert into incident (code, incident_at, registration_method) values ('NEW-1', now(), 'EMAIL')"
                        + " returning id",
                Long.class);
        assertThat(newId)
                .as("new incidents start after the old ids")
                .isGreaterThan(old.jdbc.queryForObject("select max(id) from incidents_incident", Long.class));
    }

    /**
     * After the cut-over Dispatch reads the same mailbox from its first UID: mail the import brought over is known by
     * its Message-ID (the old service kept the angle brackets), and a reply to an old thread lands in the old incident.
     */
    @Test
    void theMailboxReadAfterTheImportKnowsImportedMailAndRepliesJoinTheOldIncidents() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate mail_folder cascade");
        importer().run(options(null, false, step -> {}));
        Map<String, Object> first = jdbc.queryForMap("""
                select m.id, m.message_id, m.incident_id from email_message m join incident i on i.id = m.incident_id
                 where m.direction = 'INBOUND' and m.in_reply_to is null order by m.id limit 1""");
        long incident = ((Number) first.get("incident_id")).longValue();
        String messageId = (String) first.get("message_id");
        int incidents = count("incident");
        int stored = count("email_message");
        MailFlow flow = new MailFlow(standIns, intake, threading, outbox, jdbc);

        assertThat(messageId).doesNotContain("<", ">");
        assertThat(mails.ofIncident(incident)).extracting(StoredMail::messageId).contains(messageId);
        flow.store(mail(messageId).subject("Авария на опоре"));
        flow.store(mail("after-cut-over@op.example").replyTo(messageId).subject("Re: Авария на опоре"));

        assertThat(count("incident"))
                .as("no incident opened for an old mail or a reply")
                .isEqualTo(incidents);
        assertThat(count("email_message")).as("the old mail not stored twice").isEqualTo(stored + 1);
        assertThat(
                        jdbc.queryForMap(
                                "select incident_id, match_method from email_message where message_id = 'after-cut-over@op.example'"))
                .containsEntry("incident_id", incident)
                .containsEntry("match_method", "IN_REPLY_TO");
    }

    /**
     * Message-IDs as the old service kept them, odd ones included: each is stored as the intake would store the same
     * header (so the mailbox's copy is known), and one that is no msg-id at all is kept as it was, not lost.
     */
    @Test
    void oddOldMessageIdsAreStoredAsTheIntakeWouldStoreThem() {
        String longId = "<" + "x".repeat(240) + "@old.example>";
        Map<Long, String> odd = Map.of(
                5L, " <Mixed.Case@OLD.example> (a comment)",
                6L, "not-a-message-id",
                7L, longId,
                8L, "<one@old.example><two@old.example>");
        Map<Long, String> before = new HashMap<>();
        odd.keySet()
                .forEach(id -> before.put(
                        id,
                        old.jdbc.queryForObject(
                                "select email_msg_id from emails_emailmessage where id = ?", String.class, id)));
        try {
            odd.forEach((id, value) ->
                    old.jdbc.update("update emails_emailmessage set email_msg_id = ? where id = ?", value, id));

            ImportReport report = importer().run(options(null, false, step -> {}));

            assertThat(report.count("mails imported")).isEqualTo(old.count("emails_emailmessage"));
            assertThat(messageIdOf(5)).isEqualTo("Mixed.Case@OLD.example");
            assertThat(messageIdOf(6)).isEqualTo("not-a-message-id");
            assertThat(messageIdOf(7))
                    .as("as the intake bounds an over-long id")
                    .isEqualTo(MessageIds.first(longId))
                    .hasSizeLessThanOrEqualTo(250);
            assertThat(messageIdOf(8)).isEqualTo("one@old.example");
        } finally {
            before.forEach((id, value) ->
                    old.jdbc.update("update emails_emailmessage set email_msg_id = ? where id = ?", value, id));
        }
    }

    private String messageIdOf(long id) {
        return jdbc.queryForObject("select message_id from email_message where id = ?", String.class, id);
    }

    @Test
    void aSecondRunChangesNothing() {
        importer().run(options(null, false, step -> {}));
        String before = digest();

        ImportReport again = importer().run(options(null, false, step -> {}));

        assertThat(digest()).isEqualTo(before);
        assertThat(again.count("incidents imported")).isZero();
        assertThat(again.count("mails imported")).isZero();
    }

    @Test
    void aDryRunWritesNothingAndReportsTheSame() {
        ImportReport dry = importer().run(options(null, true, step -> {}));

        assertThat(count("incident")).isZero();
        assertThat(count("email_message")).isZero();
        assertThat(dry.count("incidents imported")).isEqualTo(old.count("incidents_incident"));
        assertThat(dry.count("mails imported")).isEqualTo(old.count("emails_emailmessage"));
    }

    @Test
    void aCrashMidImportLeavesWholeChunksAndAReRunFinishesTheJob() {
        AtomicInteger commits = new AtomicInteger();
        assertThatThrownBy(() -> importer().run(options(null, false, crashAt(LegacyImport.INCIDENTS_DONE, 3, commits))))
                .hasMessageContaining("crash");
        assertThat(count("incident"))
                .as("two whole chunks, not a part of the third")
                .isEqualTo(2 * CHUNK);
        commits.set(0);
        assertThatThrownBy(() -> importer().run(options(null, false, crashAt(LegacyImport.MAILS_DONE, 2, commits))))
                .hasMessageContaining("crash");
        assertThat(count("incident")).isEqualTo(old.count("incidents_incident"));
        assertThat(count("email_message")).isEqualTo(CHUNK);

        importer().run(options(null, false, step -> {}));
        String resumed = digest();
        clean();
        importer().run(options(null, false, step -> {}));

        assertThat(resumed).isEqualTo(digest());
    }

    private static Consumer<String> crashAt(String step, int chunk, AtomicInteger commits) {
        return s -> {
            if (s.equals(step) && commits.incrementAndGet() == chunk) throw new IllegalStateException("crash");
        };
    }

    private LegacyImport importer() {
        return new LegacyImport(old.jdbc, jdbc, transactions);
    }

    private LegacyImport.Options options(Path mediaDir, boolean dryRun, Consumer<String> beforeCommit) {
        return new LegacyImport.Options(mediaDir, data, "INC", CHUNK, dryRun, beforeCommit);
    }

    private int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }

    private static List<String> histories(JdbcTemplate db, String from, String at, String comment) {
        return db.queryForList(
                "select h.incident_id || ' ' || string_agg(s.name || '@' || " + at + " || '/' || coalesce(" + comment
                        + ", ''), ',' order by " + at + ", s.name) from " + from
                        + " group by h.incident_id order by h.incident_id",
                String.class);
    }

    private static List<String> pairs(JdbcTemplate db, String sql) {
        return db.query(sql + " order by 1", (rs, n) -> rs.getString(1) + "=" + rs.getString(2));
    }

    /** Everything the import writes, without the columns that differ by run (identity ids, import time). */
    private String digest() {
        StringBuilder all = new StringBuilder();
        for (String sql : List.of(
                "select id, code, tracker_key, type_id, pole_id, base_station_id, (select login from dispatcher d"
                        + " where d.id = dispatcher_id), incident_at, finished_at, registration_method, created_at,"
                        + " updated_at from incident order by id",
                "select incident_id, status_id, at, comment from incident_status_history order by 1, 3, 2, 4",
                "select m.id, message_id, f.name, uid, direction, origin, subject, from_address, sent_at, in_reply_to,"
                        + " body_text, incident_id, match_method from email_message m join mail_folder f"
                        + " on f.id = m.folder_id order by m.id",
                "select * from email_recipient order by 1, 2, 3",
                "select * from email_reference order by 1, 2",
                "select email_message_id, position, file_name, content_type, size, sha256, inline, skipped_reason"
                        + " from email_attachment order by 1, 2",
                "select login, display_name, active from dispatcher order by login")) {
            all.append(jdbc.queryForObject(
                            "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|')), '') from (" + sql
                                    + ") t",
                            String.class))
                    .append('\n');
        }
        return all.toString();
    }
}
