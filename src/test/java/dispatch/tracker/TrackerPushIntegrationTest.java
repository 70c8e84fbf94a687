package dispatch.tracker;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import dispatch.standin.mail.TestMails;
import dispatch.standin.tracker.FakeTracker;
import dispatch.standin.tracker.Fault;
import dispatch.towerstore.TowerStoreImport;
import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * New incidents become issues and later mails become comments, each exactly once whatever fails in between; a mail
 * with many parts costs a bounded number of uploads, and an upload that went through is never repeated.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.lease=1s",
            "dispatch.outbox.max-attempts=50",
            "dispatch.tracker.read-timeout=1s",
            "dispatch.tracker.retry.initial-backoff=10ms",
            "dispatch.tracker.retry.max-backoff=50ms",
            "dispatch.tracker.circuit.open-wait=200ms",
            // The breaker has its own tests; here it would carry one test's failures into the next one's call counts.
            "dispatch.tracker.circuit.failure-rate=100",
            "dispatch.tracker.circuit.window=100",
            "dispatch.tracker.circuit.minimum-calls=100",
            "dispatch.mail.max-attachment-size=4KB",
            "dispatch.tracker.excluded-regions=Tver Region"
        })
class TrackerPushIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    TrackerPull pull;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    MailMarkdown markdown;

    @Autowired
    TrackerProperties settings;

    FakeTracker tracker;

    @BeforeEach
    void clean() throws Exception {
        tracker = standIns.tracker();
        tracker.reset();
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox cascade");
        if (jdbc.queryForObject("select count(*) from pole", Long.class) == 0) {
            towerStoreImport.importAll();
        }
    }

    @Test
    void firstMailBecomesTheIssueWithItsFieldsAndTheKeyIsRecorded() {
        receive(mail("first@op.example")
                .subject("Авария по питанию, опора 50123-01")
                .body("Нет питания с 09:40.\nПросим проверить.")
                .cc("boss@operator.example")
                .attach("photo.jpg", new byte[] {1, 2, 3}));

        List<Map<String, Object>> issues = tracker.issues();
        assertThat(issues).hasSize(1);
        Map<String, Object> issue = issues.get(0);
        long incidentId = jdbc.queryForObject("select id from incident", Long.class);
        assertThat(issue)
                .containsEntry("summary", "Авария по питанию, опора 50123-01")
                .containsEntry("localId", incidentId)
                .containsEntry("emailFrom", "noc@operator.example")
                .containsEntry("emailTo", List.of("dispatch@example.test"))
                .containsEntry("emailCc", List.of("boss@operator.example"))
                .containsEntry("isNewMsg", "✔️ Да")
                .containsEntry("slaStatus", "⬜️ Неизвестно")
                .containsEntry("poleNumber", "50123-01")
                .containsEntry(
                        "avrName",
                        jdbc.queryForObject(
                                "select c.name from pole p join contractor c on c.id = p.contractor_id where p.code = '50123-01'",
                                String.class))
                .containsEntry("unique", "dispatch:test:incident:" + incidentId);
        assertThat((String) issue.get("description")).contains("Нет питания с 09:40.\nПросим проверить.");
        assertThat((String) issue.get("emailDatetime")).startsWith("2026-11-20T07:00:00");
        String dispatcher = jdbc.queryForObject(
                "select d.login from incident i join dispatcher d on d.id = i.dispatcher_id", String.class);
        String display = tracker.settings().users().stream()
                .filter(u -> u.login().equals(dispatcher))
                .findFirst()
                .orElseThrow()
                .display();
        assertThat(asMap(issue.get("assignee"))).containsEntry("display", display);
        assertThat((List<?>) issue.get("attachments")).hasSize(1);
        assertThat(jdbc.queryForObject("select tracker_key from incident", String.class))
                .isEqualTo(issue.get("key"));
    }

    @Test
    void aNotifyStatusSetInTrackerSendsTheAutoReplyOnceAndTheIssueEndsNotified() throws Exception {
        receive(mail("notify@op.example").subject("Нет связи на БС").body("Нет связи."));
        String key = onlyIssueKey();

        tracker.transition(key, "notifyOperatorInWork");
        pull.pullOnce();
        drainUntilDone();
        pull.pullOnce();
        drainUntilDone();

        List<MimeMessage> replies = standIns.mail().deliveredTo("noc@operator.example");
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).getSubject()).isEqualTo("Re: " + key + ": Нет связи на БС");
        assertThat(tracker.statusKey(key)).isEqualTo("notifiedOperatorInWork");
    }

    @Test
    void laterMailsBecomeOneCommentEachInTheReferenceLayoutAndInboundSetsNewMessage() {
        receive(mail("a1@op.example").subject("Нет связи на БС"));
        String key = onlyIssueKey();
        tracker.editAsDispatcher(key, Map.of("isNewMsg", "✖️ Нет"));

        receive(mail("a2@op.example")
                .replyTo("a1@op.example")
                .subject("Re: Нет связи на БС")
                .body("Связь восстановлена?\n> цитата")
                .at(java.time.Instant.parse("2026-11-20T08:05:00Z")));

        List<Map<String, Object>> comments = tracker.comments(key);
        assertThat(comments).hasSize(1);
        long mailId =
                jdbc.queryForObject("select id from email_message where message_id = 'a2@op.example'", Long.class);
        assertThat((String) comments.get(0).get("text")).isEqualTo("""
                        ### 📧 "**Re\\: Нет связи на БС**"

                        | | |
                        |-|-|
                        | **От:** | noc\\@operator\\.example |
                        | **Кому:** | dispatch\\@example\\.test |
                        | **Дата:** | 20.11.2026 11:05 |
                        %s

                        ```text
                        Связь восстановлена?
                        > цитата
                        ```""".formatted(markdown.marker(mailId)));
        assertThat(tracker.issue(key)).containsEntry("isNewMsg", "✔️ Да");
        assertThat(jdbc.queryForObject(
                        "select comment_id from tracker_comment where email_message_id = ?", String.class, mailId))
                .isEqualTo(String.valueOf(comments.get(0).get("id")));
    }

    @Test
    void aSecondThreadJoinedByCodeIsACommentAndNeverReplacesSummaryOrDescription() {
        receive(mail("b1@op.example").subject("Авария ВОЛС").body("Обрыв кабеля"));
        String key = onlyIssueKey();

        receive(mail("b9@other.example")
                .subject("По заявке " + key + ": новые данные")
                .body("Другой текст"));

        assertThat(tracker.issues()).hasSize(1);
        assertThat(tracker.issue(key)).containsEntry("summary", "Авария ВОЛС");
        assertThat((String) tracker.issue(key).get("description")).contains("Обрыв кабеля");
        assertThat(tracker.comments(key))
                .singleElement()
                .satisfies(c -> assertThat((String) c.get("text")).contains("Другой текст"));
    }

    @Test
    void sentRepliesAreCommentedWithoutRaisingNewMessageAndTrackerMailIsNotCommented() {
        receive(mail("c1@op.example").subject("Нет питания"));
        String key = onlyIssueKey();
        tracker.editAsDispatcher(key, Map.of("isNewMsg", "✖️ Нет"));

        standIns.mail()
                .append(
                        MailServer.SENT,
                        mail("c2@example.test")
                                .from(MailServer.ADDRESS)
                                .replyTo("c1@op.example")
                                .subject("Re: Нет питания")
                                .body("Принято")
                                .bytes());
        receive(mail("c3@tracker.example")
                .from(MailServer.ADDRESS)
                .subject(key + ": Нет питания")
                .header("X-Tracker-Issue-Key: " + key)
                .body("Письмо из Трекера"));

        assertThat(tracker.comments(key))
                .singleElement()
                .satisfies(c -> assertThat((String) c.get("text")).contains("Принято"));
        assertThat(tracker.issue(key)).containsEntry("isNewMsg", "✖️ Нет");
    }

    @Test
    void aSentReplyReadBeforeTheMailItAnswersIsCommentedWhenThatMailOpensTheIssue() {
        // Found by the proof: Sent is read before INBOX, so the desk's answer waits unlinked for its original.
        standIns.mail()
                .append(
                        MailServer.SENT,
                        mail("s2@desk.example")
                                .from(MailServer.ADDRESS)
                                .replyTo("s1@op.example")
                                .subject("Re: Нет связи")
                                .body("Выехали на место")
                                .bytes());
        intake.pollOnce();
        threading.threadPending();
        assertThat(matchMethod("s2@desk.example")).isEqualTo("SENT_UNMATCHED");

        receive(mail("s1@op.example").subject("Нет связи"));

        String key = onlyIssueKey();
        assertThat(matchMethod("s2@desk.example")).isEqualTo("LINKED_BY_REPLY");
        assertThat(tracker.comments(key))
                .singleElement()
                .satisfies(c -> assertThat((String) c.get("text")).contains("Выехали на место"));
    }

    private String matchMethod(String messageId) {
        return jdbc.queryForObject(
                "select match_method from email_message where message_id = ?", String.class, messageId);
    }

    @Test
    void attachmentsTooLargeToKeepAreListedByName() {
        receive(mail("d1@op.example").subject("Фото").attach("big-video.mp4", new byte[8 * 1024]));

        Map<String, Object> issue = tracker.issue(onlyIssueKey());
        assertThat((String) issue.get("description"))
                .contains(
                        "не загружены в Tracker (больше 50 МБ или сверх предела на письмо):** big\\-video\\.mp4 \\(8 КБ\\)");
        assertThat((List<?>) issue.get("attachments")).isNullOrEmpty();
    }

    @Test
    void issueAndCommentAreCreatedOnceWhenTheAnswerIsLostAfterTrackerAppliedThem() {
        tracker.faults().next("POST /issues/", Fault.applyThenDrop());
        receive(mail("e1@op.example").subject("Пропало питание"));
        String key = onlyIssueKey();
        assertThat(tracker.faults().fired()).containsExactly("POST /issues/ -> ApplyThenDrop[]");
        assertThat(tracker.callCount("POST /issues/"))
                .as("the create was repeated")
                .isEqualTo(2);
        assertThat(tracker.callCount("POST /issues/_findByUnique"))
                .as("the repeat met the first issue's unique")
                .isEqualTo(1);

        tracker.faults().next("POST /issues/*/comments", Fault.applyThenDrop());
        receive(mail("e2@op.example").replyTo("e1@op.example").subject("Re: Пропало питание"));
        assertThat(tracker.faults().fired())
                .containsExactly(
                        "POST /issues/ -> ApplyThenDrop[]", "POST /issues/" + key + "/comments -> ApplyThenDrop[]");
        assertThat(tracker.issues()).hasSize(1);
        assertThat(tracker.comments(key)).hasSize(1);
        assertThat(tracker.callCount("GET /issues/{key}/comments"))
                .as("the retry looked for the comment first")
                .isPositive();
        assertThat(jdbc.queryForObject(
                        "select c.comment_id from tracker_comment c join email_message m on m.id = c.email_message_id"
                                + " where m.message_id = 'e2@op.example'",
                        String.class))
                .isEqualTo(String.valueOf(tracker.comments(key).get(0).get("id")));
    }

    @Test
    void everyIncidentIsOneIssueAndEveryMailOneCommentWithAThirdOfCallsFailing() {
        // Random faults may miss the calls that matter; these first ones cannot.
        tracker.faults()
                .next("POST /issues/", Fault.applyThenDrop())
                .next("POST /issues/", Fault.respond5xx(500))
                .next("POST /issues/*/comments", Fault.applyThenDrop())
                .next("POST /issues/*/comments", Fault.dropConnection())
                .failRandomly(
                        0.3,
                        42,
                        Fault.respond429(0),
                        Fault.respond5xx(500),
                        Fault.delay(Duration.ofMillis(1500)),
                        Fault.dropConnection(),
                        Fault.applyThenDrop());
        int incidents = 12;
        int replies = 3;
        for (int i = 0; i < incidents; i++) {
            standIns.mail()
                    .append(
                            "INBOX",
                            mail("f" + i + "@op.example").subject("Авария " + i).bytes());
            for (int r = 0; r < replies; r++) {
                standIns.mail()
                        .append(
                                "INBOX",
                                mail("f" + i + "-" + r + "@op.example")
                                        .replyTo("f" + i + "@op.example")
                                        .subject("Re: Авария " + i)
                                        .body("Ответ " + r)
                                        .at(java.time.Instant.parse("2026-11-20T08:00:00Z")
                                                .plusSeconds(r))
                                        .bytes());
            }
        }
        intake.pollOnce();
        threading.threadPending();
        drainUntilDone();
        tracker.faults().stopFailingRandomly();
        assertThat(tracker.faults().pending()).isZero();
        List<String> fired = tracker.faults().fired();
        assertThat(fired)
                .as("faults on creates")
                .filteredOn(f -> f.startsWith("POST /issues/ -> "))
                .contains("POST /issues/ -> ApplyThenDrop[]", "POST /issues/ -> ServerError[status=500]");
        assertThat(fired)
                .as("faults on comments")
                .filteredOn(f -> f.matches("POST /issues/[^/]+/comments -> .*"))
                .anySatisfy(f -> assertThat(f).endsWith("ApplyThenDrop[]"))
                .anySatisfy(f -> assertThat(f).endsWith("DropConnection[]"));
        System.out.printf("%d faults fired: %s%n", fired.size(), fired);

        List<Map<String, Object>> issues = tracker.issues();
        assertThat(issues).hasSize(incidents);
        assertThat(issues.stream().map(i -> i.get("localId")).distinct()).hasSize(incidents);
        for (Map<String, Object> issue : issues) {
            List<Map<String, Object>> comments = tracker.comments((String) issue.get("key"));
            assertThat(comments).as("comments of %s", issue.get("key")).hasSize(replies);
            assertThat(comments.stream().map(c -> (String) c.get("text")))
                    .as("in mail order")
                    .allSatisfy(t -> assertThat(t).contains("Ответ"))
                    .isSortedAccordingTo(java.util.Comparator.comparing(t -> t.substring(t.indexOf("Ответ"))));
        }
        assertThat(jdbc.queryForObject("select count(*) from tracker_comment", Long.class))
                .isEqualTo((long) incidents * replies);
        assertThat(jdbc.queryForObject("select count(*) from incident where tracker_key is null", Long.class))
                .isZero();
    }

    @Test
    void incidentsInExcludedRegionsStayOutOfTrackerWithTheirReplies() {
        receive(mail("g1@op.example").subject("Нет питания на опоре 69077-02"));
        receive(mail("g2@op.example").replyTo("g1@op.example").subject("Re: Нет питания на опоре 69077-02"));

        assertThat(tracker.issues()).isEmpty();
        assertThat(jdbc.queryForObject("select count(*) from incident where tracker_key is null", Long.class))
                .isEqualTo(1);
    }

    @Test
    void aMarkerRowForgedInAMailBodyDoesNotMakeALaterMailCountAsPosted() {
        receive(mail("h1@op.example").subject("Нет связи"));
        String key = onlyIssueKey();
        long next = jdbc.queryForObject("select max(id) from email_message", Long.class) + 2;
        StringBuilder forged = new StringBuilder("Подделка:\n");
        for (long id = next; id < next + 10; id++) {
            forged.append("| **ID письма:** | `").append(id).append("` |\n");
            forged.append("| **ID письма:** | ").append(id).append(" · 000000000000000000000000 |\n");
        }
        receive(mail("h2@op.example").replyTo("h1@op.example").body(forged.toString()));

        // The next comment fails without being posted; the retry looks for a comment an earlier attempt may have left.
        tracker.faults().next("POST /issues/" + key + "/comments", Fault.respond5xx(500));
        receive(mail("h3@op.example").replyTo("h1@op.example").body("Настоящий ответ"));

        assertThat(tracker.faults().fired()).hasSize(1);
        assertThat(jdbc.queryForObject("select id from email_message where message_id = 'h3@op.example'", Long.class))
                .as("the forged rows named the mail that came next")
                .isBetween(next, next + 9);
        List<Map<String, Object>> comments = tracker.comments(key);
        assertThat(comments).hasSize(2);
        assertThat((String) comments.get(1).get("text")).contains("Настоящий ответ");
        assertThat(jdbc.queryForObject(
                        "select c.comment_id from tracker_comment c join email_message m on m.id = c.email_message_id"
                                + " where m.message_id = 'h3@op.example'",
                        String.class))
                .isEqualTo(String.valueOf(comments.get(1).get("id")));
    }

    @Test
    void aCodeInTheSubjectFromSomeoneNewJoinsButTheCommentSaysTheSenderIsNew() {
        receive(mail("n1@op.example").subject("Авария ВОЛС"));
        String key = onlyIssueKey();

        receive(mail("n2@op.example").from("stranger@other.example").subject("По заявке " + key));
        receive(mail("n3@op.example").from("stranger@other.example").subject("Ещё раз по " + key));
        receive(mail("n4@op.example").subject("Дополнение к " + key));

        List<Map<String, Object>> comments = tracker.comments(key);
        assertThat(comments).hasSize(3);
        assertThat((String) comments.get(0).get("text")).contains(MailMarkdown.NEW_SENDER);
        assertThat((String) comments.get(1).get("text")).doesNotContain(MailMarkdown.NEW_SENDER);
        assertThat((String) comments.get(2).get("text")).doesNotContain(MailMarkdown.NEW_SENDER);
    }

    @Test
    void aMailWithHundredsOfPartsUploadsTheLimitAndListsTheRestByNameAndSize() throws Exception {
        // 400 parts: under intake's parts limit (DISPATCH_MAIL_LIMITS_MAXPARTS), far over the upload limit.
        receive(mailWithParts("parts@op.example", 400));

        Map<String, Object> issue = tracker.issue(onlyIssueKey());
        assertThat((List<?>) issue.get("attachments")).hasSize(settings.maxUploads());
        assertThat(uploads()).isEqualTo(settings.maxUploads());
        assertThat((String) issue.get("description"))
                .contains("part\\-10\\.txt \\(7 Б\\)", "part\\-399\\.txt \\(8 Б\\)")
                .doesNotContain("part\\-9\\.txt \\(");
    }

    @Test
    void aRetriedDeliveryAttachesWhatItUploadedBeforeInsteadOfUploadingAgain() throws Exception {
        int firedBefore = tracker.faults().fired().size();
        for (int i = 0; i < 5; i++) tracker.faults().next("POST /issues/", Fault.respond5xx(503));

        receive(mailWithParts("retried@op.example", 3));

        // The client tries a call 4 times (retry.max-attempts): five failed creates span two deliveries at least.
        assertThat(settings.retry().maxAttempts()).isLessThan(5);
        List<String> fired = tracker.faults().fired();
        assertThat(fired.subList(firedBefore, fired.size()))
                .as("every create failure fired, after the uploads of the first delivery")
                .hasSize(5)
                .allSatisfy(f -> assertThat(f).startsWith("POST").contains("/issues"));
        Map<String, Object> issue = tracker.issue(onlyIssueKey());
        assertThat((List<?>) issue.get("attachments")).hasSize(3);
        assertThat(uploads()).as("each part uploaded once over all attempts").isEqualTo(3);
    }

    private int uploads() {
        return tracker.calls().entrySet().stream()
                .filter(e -> e.getKey().startsWith("POST") && e.getKey().contains("attachments"))
                .mapToInt(Map.Entry::getValue)
                .sum();
    }

    private static byte[] mailWithParts(String messageId, int parts) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties())) {
            @Override
            protected void updateMessageID() throws jakarta.mail.MessagingException {
                setHeader("Message-ID", "<" + messageId + ">");
            }
        };
        message.setFrom(new InternetAddress("noc@operator.example"));
        message.setRecipients(Message.RecipientType.TO, "dispatch@example.test");
        message.setSubject("Фото с места аварии", "UTF-8");
        MimeMultipart multipart = new MimeMultipart();
        MimeBodyPart text = new MimeBodyPart();
        text.setText("Нет питания, фото во вложении", "UTF-8");
        multipart.addBodyPart(text);
        for (int i = 0; i < parts; i++) {
            MimeBodyPart file = new MimeBodyPart();
            file.setDataHandler(new DataHandler(new ByteArrayDataSource(("part " + i).getBytes(), "text/plain")));
            file.setFileName("part-" + i + ".txt");
            multipart.addBodyPart(file);
        }
        message.setContent(multipart);
        message.saveChanges();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }

    private void receive(TestMails mail) {
        receive(mail.bytes());
    }

    private void receive(byte[] mail) {
        standIns.mail().append("INBOX", mail);
        intake.pollOnce();
        threading.threadPending();
        drainUntilDone();
    }

    private void drainUntilDone() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            outbox.drain();
            Long pending = jdbc.queryForObject("select count(*) from outbox where status <> 'DONE'", Long.class);
            if (pending == 0) return;
            sleep(20);
        }
        throw new AssertionError("outbox not drained: "
                + jdbc.queryForList("select kind, status, attempts, last_error from outbox where status <> 'DONE'"));
    }

    private String onlyIssueKey() {
        List<Map<String, Object>> issues = tracker.issues();
        assertThat(issues).hasSize(1);
        return (String) issues.get(0).get("key");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
