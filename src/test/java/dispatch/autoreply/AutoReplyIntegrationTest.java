package dispatch.autoreply;

import static dispatch.autoreply.AutoReplyFixture.addresses;
import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Incidents;
import dispatch.mail.OwnMessageIds;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.mail.MailServer;
import dispatch.tracker.StatusCommandIssued.Command;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * A dispatcher's status command sends its mail over real SMTP (GreenMail) once, and moves the Tracker issue on to
 * the paired "notified" status, or to "error" with what to fix. The command is published as the Tracker pull
 * publishes it (the pull itself is tested in {@code TrackerPullIntegrationTest}).
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.lease=1s"
        })
class AutoReplyIntegrationTest {

    @Autowired
    ApplicationContext context;

    @Autowired
    OwnMessageIds ownMessageIds;

    AutoReplyFixture fixture;

    @BeforeEach
    void clean() throws Exception {
        fixture = new AutoReplyFixture(context);
    }

    @Test
    void theRequesterIsToldTheIncidentIsInWorkOnceAndTheIssueMovesToNotified() throws Exception {
        long incident = fixture.receive(mail("first@op.example")
                .from("noc@op.example")
                .cc("boss@operator.example")
                .subject("Авария на опоре, нет связи")
                .body("Нет связи с 09:40."));
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        List<MimeMessage> toRequester = fixture.receivedBy("noc@op.example");
        assertThat(toRequester).hasSize(1);
        MimeMessage reply = toRequester.get(0);
        assertThat(addresses(reply, Message.RecipientType.TO)).containsExactly("noc@op.example");
        assertThat(addresses(reply, Message.RecipientType.CC))
                .containsExactly("boss@operator.example", MailServer.ADDRESS);
        assertThat(fixture.receivedBy("boss@operator.example")).hasSize(1);
        assertThat(reply.getSubject()).isEqualTo("Re: " + key + ": Авария на опоре, нет связи");
        assertThat(((String) reply.getContent()).strip()).isEqualTo("Заявка \"" + key + "\" принята в работу.");
        assertThat(reply.getHeader("In-Reply-To")[0]).isEqualTo("<first@op.example>");
        assertThat(reply.getHeader("Auto-Submitted")[0]).isEqualTo("auto-generated");
        String messageId = reply.getMessageID().replaceAll("[<>]", "");
        assertThat(ownMessageIds.incidentCode(messageId)).contains(fixture.code(incident));

        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
        assertThat(fixture.comments(key)).contains("Уведомили оператора о принятии заявки в работу.");
        assertThat(fixture.history(incident)).endsWith("Уведомляем оператора", "Уведомили оператора");

        // The same command seen again (a pull that repeated itself) sends nothing more: the outbox keeps one message
        // per command. Had a second one run, the repeat guard would have refused it and moved the issue to "error".
        fixture.publish(incident, Command.OPERATOR_IN_WORK, fixture.lastCommandId);
        fixture.drain();
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.jdbc.queryForObject(
                        "select count(*) from outbox where kind = ?", Long.class, AutoReplies.KIND))
                .as("outbox messages for the command seen twice")
                .isEqualTo(1);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
        assertThat(context.getBean("smtpHealthIndicator", HealthIndicator.class)
                        .health()
                        .getStatus())
                .isEqualTo(Status.UP);
    }

    @Test
    void aWebFormRequesterIsAnsweredAtItsReplyToAndTheCopyJoinsTheIncident() throws Exception {
        long incident = fixture.receive(mail("second@op.example")
                .from("form@portal.example")
                .header("Reply-To: feedback@op.example")
                .subject("Нет питания")
                .body("Нет питания."));
        fixture.command(incident, Command.OPERATOR_CLOSED, "notifyOperatorClosed", "Уведомляем о закрытии");

        assertThat(fixture.receivedBy("form@portal.example")).isEmpty();
        MimeMessage reply = fixture.receivedBy("feedback@op.example").get(0);
        assertThat(((String) reply.getContent()).strip())
                .isEqualTo(
                        "Заявка \"" + fixture.trackerKey(incident) + "\" закрыта. Если работы выполнены не полностью,"
                                + " ответьте на это письмо в течение 12 ч: после этого заявка будет закрыта автоматически.");

        fixture.intake.pollOnce();
        fixture.threading.threadPending();

        String messageId = reply.getMessageID().replaceAll("[<>]", "");
        assertThat(fixture.jdbc.queryForObject(
                        "select incident_id from email_message where message_id = ?", Long.class, messageId))
                .isEqualTo(incident);
        assertThat(fixture.jdbc.queryForObject("select count(*) from incident", Long.class))
                .isEqualTo(1);
        assertThat(fixture.status(fixture.trackerKey(incident))).isEqualTo("notifiedOperatorClosed");
        assertThat(fixture.history(incident)).endsWith("Уведомили о закрытии");
    }

    @Test
    void aWebFormRequestIsAnsweredAtTheFormsFeedbackAddressWithItsObserversInCopy() throws Exception {
        long incident = fixture.receive(mail("form@op.example")
                .from("form-robot@portal.example")
                .subject("Заявка с сайта")
                .body("{\"E-mail для обратной связи\": \"ivanov@client.example\","
                        + " \"E-mail наблюдателя по заявке 1\": \"petrov@client.example\"}"));

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(fixture.receivedBy("form-robot@portal.example")).isEmpty();
        MimeMessage reply = fixture.receivedBy("ivanov@client.example").get(0);
        assertThat(addresses(reply, Message.RecipientType.CC))
                .containsExactly("petrov@client.example", MailServer.ADDRESS);
    }

    @Test
    void aCrashAfterTheSendDoesNotSendAgain() throws Exception {
        long incident = fixture.receive(mail("third@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);

        // The SMTP server takes the mail, and then nothing of the attempt can be recorded, as if the process had died
        // right after the send: the database refuses the record of the send (the first write after it).
        fixture.commandWithoutDraining(
                incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");
        long refused = fixture.refusingTheSendRecord(incident, fixture::drainOnce);

        assertThat(refused).as("the record of the send was refused").isEqualTo(1);
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.sentRecords()).as("the send was not recorded").isZero();
        assertThat(fixture.status(key)).as("no outcome yet").isEqualTo("notifyOperatorInWork");

        // A retry before intake stored the dispatch mailbox's copy waits for it instead of sending a second mail.
        fixture.redeliverAutoReplies();
        fixture.drainOnce();
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.jdbc.queryForObject(
                        "select last_error from outbox where kind = ?", String.class, AutoReplies.KIND))
                .contains("waiting for its copy");

        // Once intake stored the copy, the next retry finds it and records the outcome.
        fixture.intake.pollOnce();
        fixture.threading.threadPending();
        fixture.redeliverAutoReplies();
        fixture.drain();

        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.sentRecords()).isEqualTo(1);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
        assertThat(fixture.comments(key))
                .filteredOn("Уведомили оператора о принятии заявки в работу."::equals)
                .hasSize(1);
    }

    @Test
    void theOutcomeIsRecordedOnceWhenTheWorkerDiesBeforeMarkingTheMessageDone() throws Exception {
        long incident = fixture.receive(mail("fourth@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        fixture.redeliverAutoReplies();
        fixture.drain();

        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.sentRecords()).isEqualTo(1);
        assertThat(fixture.history(incident)).endsWith("Уведомляем оператора", "Уведомили оператора");
        assertThat(fixture.comments(fixture.trackerKey(incident)))
                .filteredOn("Уведомили оператора о принятии заявки в работу."::equals)
                .hasSize(1);
    }

    @Test
    void theContractorGetsThePoleItsBaseStationAndTheCorrespondence() throws Exception {
        Map<String, Object> pole = fixture.jdbc.queryForMap("""
                select p.id, p.code, b.id as bs_id, b.name as bs, min(e.email) as email,
                       string_agg(distinct o.name, ', ' order by o.name) as operators
                from pole p
                join contractor_email e on e.contractor_id = p.contractor_id
                join base_station b on b.pole_id = p.id and b.removed_at is null
                join base_station_operator bo on bo.base_station_id = b.id
                join operator o on o.id = bo.operator_id
                where p.removed_at is null and p.code ~ '^[0-9]{5}-[0-9]{2}$'
                group by p.id, p.code, b.id, b.name order by p.id, b.id limit 1
                """);
        String poleCode = (String) pole.get("code");
        long incident = fixture.receive(mail("fifth@op.example")
                .from("noc@op.example")
                .subject("Авария на опоре " + poleCode)
                .body("Нет питания на опоре с утра."));
        // The dispatcher names the base station in Tracker.
        context.getBean(Incidents.class)
                .setLocation(incident, ((Number) pole.get("id")).longValue(), ((Number) pole.get("bs_id")).longValue());
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.CONTRACTOR_IN_WORK, "notifyContractorInWork", "Передать подрядчику");

        List<MimeMessage> toContractor = fixture.receivedBy((String) pole.get("email"));
        assertThat(toContractor).hasSize(1);
        String text = (String) toContractor.get(0).getContent();
        assertThat(text)
                .startsWith("На вас назначен новый инцидент.\nИНФОРМАЦИЯ ОБ ОПОРЕ:\n   • Шифр опоры: " + poleCode)
                .contains(
                        "ИНФОРМАЦИЯ О БАЗОВОЙ СТАНЦИИ:\n   • Номер БС: " + pole.get("bs") + "\n   • Операторы: "
                                + pole.get("operators") + "\n",
                        "ДЕТАЛИ ИНЦИДЕНТА:",
                        "ИСТОРИЯ ПЕРЕПИСКИ:",
                        "*Сообщение №1 *(",
                        "Нет питания на опоре с утра.")
                .endsWith("ВАЖНО: НЕ МЕНЯЙТЕ ТЕМУ ПИСЬМА ПРИ ОТВЕТЕ");
        assertThat(addresses(toContractor.get(0), Message.RecipientType.CC)).containsExactly(MailServer.ADDRESS);
        assertThat(fixture.receivedBy("noc@op.example")).isEmpty();
        assertThat(fixture.status(key)).isEqualTo("notifiedContractorInWork");
        assertThat(fixture.history(incident)).endsWith("Передать подрядчику", "Передано подрядчику");
    }

    @Test
    void aHandOverWithoutAPoleMovesTheIssueToErrorSayingWhatToFix() throws Exception {
        long incident = fixture.receive(mail("sixth@op.example")
                .from("noc@op.example")
                .subject("Что-то сломалось")
                .body("Без шифра."));
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.CONTRACTOR_IN_WORK, "notifyContractorInWork", "Передать подрядчику");

        assertThat(fixture.receivedBy("noc@op.example")).isEmpty();
        assertThat(fixture.standIns.mail().messageCount("INBOX"))
                .as("only the mail that opened the incident")
                .isEqualTo(1);
        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key)).contains(Drafts.NO_LOCATION);
        assertThat(fixture.history(incident)).endsWith("Ошибка");
    }

    @Test
    void aHandOverToAContractorWithoutEmailsMovesTheIssueToErrorSayingWhatToFix() throws Exception {
        Map<String, Object> pole = fixture.jdbc.queryForMap("""
                select p.code, p.contractor_id from pole p join contractor_email e on e.contractor_id = p.contractor_id
                where p.removed_at is null and p.code ~ '^[0-9]{5}-[0-9]{2}$' order by p.id limit 1
                """);
        fixture.jdbc.update("delete from contractor_email where contractor_id = ?", pole.get("contractor_id"));
        long incident = fixture.receive(mail("ninth@op.example")
                .from("noc@op.example")
                .subject("Авария на опоре " + pole.get("code"))
                .body("Нет питания."));
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.CONTRACTOR_IN_WORK, "notifyContractorInWork", "Передать подрядчику");

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key)).contains(Drafts.NO_CONTRACTOR_EMAIL);
        assertThat(fixture.sentRecords()).isZero();
    }

    @Test
    void anOperatorReplyForAnIncidentWithoutAMailFromOutsideMovesTheIssueToErrorSayingWhy() {
        String key = fixture.tracker.createIssueManually(Map.of("summary", "Заведена вручную"));
        long incident = context.getBean(Incidents.class).openManual(key, Instant.now(), "Заведена вручную");

        fixture.command(incident, Command.OPERATOR_CLOSED, "notifyOperatorClosed", "Уведомляем о закрытии");

        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key)).contains(Drafts.NO_REQUESTER);
        assertThat(fixture.sentRecords()).isZero();
    }

    @Test
    void theSameAutoReplySetAgainWithinAMinuteMovesTheIssueToErrorSayingWhenItCanGo() throws Exception {
        long incident = fixture.receive(mail("eighth@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);
        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        fixture.command(incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");

        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.status(key)).isEqualTo("error");
        assertThat(fixture.comments(key))
                .anySatisfy(c -> assertThat(c)
                        .matches("Уведомление о принятии работ недавно было отправлено заявителю\\."
                                + " Попробуйте снова через ([1-5][0-9]|60|[1-9]) секунд\\."));
        assertThat(fixture.history(incident)).endsWith("Уведомили оператора", "Уведомляем оператора", "Ошибка");
    }

    @Test
    void aDispatcherWhoMovedTheIssueOnIsNotOverruled() throws Exception {
        long incident = fixture.receive(mail("seventh@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);
        fixture.tracker.transition(key, "notifyOperatorInWork");
        fixture.tracker.transition(key, "inProgress");

        fixture.publish(incident, Command.OPERATOR_IN_WORK, "set-then-moved-on");
        fixture.drain();

        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.status(key)).isEqualTo("inProgress");
    }
}
