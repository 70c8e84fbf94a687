package dispatch.autoreply;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailFlow;
import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;

/**
 * The old service's behaviour after closing, as an operator may choose it: a mail from outside on an incident closed
 * within the reopen window leaves it closed and is answered with a request for a new one, at most twice per incident,
 * never to automatic mail.
 */
@DispatchIntegrationTest
@TestPropertySource(properties = "dispatch.incident.after-closing=ASK_FOR_NEW_REQUEST")
class NewRequestRepliesIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    MailFlow flow;

    @BeforeEach
    void closedIncident() throws Exception {
        flow = new MailFlow(standIns, intake, threading, outbox, jdbc);
        standIns.tracker().reset();
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox cascade");
        flow.receive(mail("first@op.example").at(now().minus(2, ChronoUnit.HOURS)));
        jdbc.update("update incident set finished_at = now() - interval '1 hour'");
    }

    @Test
    void aReplyAfterClosingIsAskedForANewRequestAtMostTwiceAndTheIncidentStaysClosed() throws Exception {
        for (int i = 1; i <= 3; i++) {
            flow.receive(mail("late-" + i + "@op.example")
                    .from("engineer@op.example")
                    .replyTo("first@op.example")
                    .subject("Re: Авария")
                    .at(now()));
        }

        List<MimeMessage> answers = standIns.mail().deliveredTo("engineer@op.example");
        assertThat(answers).hasSize(2);
        assertThat(answers.get(0).getSubject()).isEqualTo("Re: Авария");
        assertThat((String) answers.get(0).getContent()).contains("закрыта").contains("новое письмо");
        assertThat(answers.get(0).getHeader("In-Reply-To", null)).isEqualTo("<late-1@op.example>");
        assertThat(jdbc.queryForObject("select count(finished_at) from incident", Long.class))
                .isOne();
        assertThat(jdbc.queryForObject("select count(*) from incident", Long.class))
                .isOne();
    }

    @Test
    void anAutomaticMailAfterClosingIsNotAnswered() throws Exception {
        flow.receive(mail("vacation@op.example")
                .from("engineer@op.example")
                .replyTo("first@op.example")
                .header("Auto-Submitted: auto-replied")
                .at(now()));

        assertThat(standIns.mail().deliveredTo("engineer@op.example")).isEmpty();
        assertThat(jdbc.queryForObject(
                        "select count(*) from outbox where kind = ?", Long.class, NewRequestReplies.KIND))
                .isZero();
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
