package dispatch.autoreply;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.mail.MailServer;
import dispatch.standin.mail.ScriptedSmtp;
import dispatch.tracker.StatusCommandIssued.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * How an auto-reply fails, against an SMTP server that answers as told: a 5xx answer is the dispatcher's to know at
 * once, a 4xx one is retried a few times first, one refused recipient costs the others nothing, a failed command
 * holds back no later one, and a command sends one mail whatever Tracker does afterwards.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.lease=1s",
            "dispatch.autoreply.send-attempts=3",
            "dispatch.autoreply.send-retry-delay=10ms",
            // The repeat guard would refuse a second mail within a minute: off, so the tests see what identity does.
            "dispatch.autoreply.repeat-after=0s"
        })
class AutoReplyFailuresIntegrationTest {

    static final ScriptedSmtp SMTP = start();

    @DynamicPropertySource
    static void smtp(DynamicPropertyRegistry registry) {
        registry.add("dispatch.mail.smtp.port", SMTP::port);
    }

    @AfterAll
    static void stop() throws IOException {
        SMTP.close();
    }

    @Autowired
    ApplicationContext context;

    AutoReplyFixture fixture;

    @BeforeEach
    void clean() throws Exception {
        fixture = new AutoReplyFixture(context);
        SMTP.reset();
    }

    @Test
    void a550AnswerMovesTheIssueToErrorAtOnceWithTheServersReason() {
        long incident = incidentFrom("noc@op.example", "one@op.example");
        String key = fixture.trackerKey(incident);
        SMTP.nextDataReply("550 5.7.1 Message rejected: policy violation");

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key))
                .anySatisfy(c -> assertThat(c)
                        .startsWith("Не удалось уведомить оператора о принятии заявки в работу.")
                        .contains("550 5.7.1 Message rejected: policy violation"));
        assertThat(fixture.history(incident)).endsWith("Уведомляем оператора", "Ошибка");
        assertThat(attempts()).as("one attempt: a 5xx answer is not retried").containsExactly(1);
        assertThat(SMTP.taken()).isEmpty();
    }

    @Test
    void a4xxAnswerIsRetriedAndTheMailGoesOutOnceTheServerTakesIt() {
        long incident = incidentFrom("noc@op.example", "two@op.example");
        String key = fixture.trackerKey(incident);
        SMTP.nextDataReply("451 4.3.0 Try again later").nextDataReply("451 4.3.0 Try again later");

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(SMTP.taken()).hasSize(1);
        assertThat(attempts()).containsExactly(3);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
    }

    @Test
    void a4xxAnswerOnEveryAttemptTellsTheDispatcherAfterTheLastOne() {
        long incident = incidentFrom("noc@op.example", "three@op.example");
        String key = fixture.trackerKey(incident);
        for (int i = 0; i < 3; i++) SMTP.nextDataReply("452 4.3.1 Insufficient system storage");

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(SMTP.taken()).isEmpty();
        assertThat(attempts()).containsExactly(3);
        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key)).anySatisfy(c -> assertThat(c).contains("452 4.3.1"));
    }

    @Test
    void aFailedAutoReplyDoesNotHoldBackTheIncidentsNextCommand() {
        long incident = incidentFrom("noc@op.example", "four@op.example");
        String key = fixture.trackerKey(incident);
        SMTP.nextDataReply("554 5.7.1 Rejected");
        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");
        assertThat(fixture.status(key)).isEqualTo("error");

        // The dispatcher fixes what was wrong and sets the status again: a new command, and it is sent.
        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(SMTP.taken()).hasSize(1);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
    }

    @Test
    void anAutoReplyTheOutboxGaveUpOnDoesNotHoldBackTheIncidentsNextCommand() {
        long incident = incidentFrom("noc@op.example", "five@op.example");
        String key = fixture.trackerKey(incident);
        fixture.commandWithoutDraining(
                incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");
        // As the outbox leaves a message it ran out of attempts on (the database, not SMTP, kept failing).
        fixture.jdbc.update("update outbox set status = 'FAILED' where kind = ?", AutoReplies.KIND);

        fixture.command(incident, Command.OPERATOR_CLOSED, "notifyOperatorClosed", "Уведомляем о закрытии");

        assertThat(SMTP.taken()).hasSize(1);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorClosed");
    }

    @Test
    void aRecipientTheServerRefusesIsNamedInTrackerAndTheOthersGetTheMail() {
        long incident = fixture.receive(mail("six@op.example")
                .from("noc@op.example")
                .cc("gone@operator.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);
        SMTP.refuseRecipient("gone@operator.example", "550 5.1.1 <gone@operator.example>: user unknown");

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(SMTP.taken())
                .singleElement()
                .satisfies(taken ->
                        assertThat(taken.recipients()).containsExactlyInAnyOrder("noc@op.example", MailServer.ADDRESS));
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
        assertThat(fixture.comments(key))
                .anySatisfy(c -> assertThat(c)
                        .startsWith("Уведомили оператора о принятии заявки в работу.")
                        .contains("gone\\@operator\\.example", "user unknown"));
    }

    @Test
    void aSlowSuccessDoesNotHideANewerError() {
        long incident = incidentFrom("noc@op.example", "seven@op.example");
        String key = fixture.trackerKey(incident);
        fixture.commandWithoutDraining(
                incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");
        // While the mail is on its way, Dispatch finds something wrong with the issue (e.g. an unknown pole typed).
        fixture.tracker.transition(key, "error");

        fixture.drain();

        assertThat(SMTP.taken()).hasSize(1);
        assertThat(fixture.status(key)).as("the newer error stays").isEqualTo("error");
    }

    @Test
    void aCommandWhoseIssueNeverReachesNotifiedSendsOneMailWhateverIsEditedLater() {
        long incident = incidentFrom("noc@op.example", "eight@op.example");
        String key = fixture.trackerKey(incident);
        fixture.tracker.withoutTransitionsTo("notifiedOperatorInWork");

        fixture.tracker.transition(key, "notifyOperatorInWork");
        fixture.pull();
        fixture.drain();
        assertThat(SMTP.taken()).hasSize(1);
        assertThat(fixture.status(key)).isEqualTo("notifyOperatorInWork");

        for (String summary : List.of("Нет связи (уточнено)", "Нет связи, опора 2")) {
            fixture.tracker.editAsDispatcher(key, Map.of("summary", summary));
            fixture.pull();
            fixture.drain();
        }

        assertThat(SMTP.taken()).as("one mail for one command").hasSize(1);
        assertThat(fixture.history(incident)).endsWith("Уведомляем оператора");
    }

    private long incidentFrom(String from, String messageId) {
        return fixture.receive(mail(messageId).from(from).subject("Нет связи").body("Нет связи."));
    }

    private List<Integer> attempts() {
        return fixture.jdbc.queryForList(
                "select attempts from outbox where kind = ? order by id", Integer.class, AutoReplies.KIND);
    }

    private static ScriptedSmtp start() {
        try {
            return ScriptedSmtp.start(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
