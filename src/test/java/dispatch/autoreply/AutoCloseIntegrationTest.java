package dispatch.autoreply;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * After the closure notice, an issue the requester does not answer within {@code autoCloseAfter} (1 s here) is closed
 * by Dispatch, once, saying so; an answer from outside within that time cancels it.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.lease=1s",
            "dispatch.autoreply.auto-close-after=1s"
        })
class AutoCloseIntegrationTest {

    @Autowired
    ApplicationContext context;

    AutoReplyFixture fixture;
    AutoClose autoClose;

    @BeforeEach
    void clean() throws Exception {
        fixture = new AutoReplyFixture(context);
        autoClose = context.getBean(AutoClose.class);
    }

    @Test
    void anUnansweredClosureNoticeClosesTheIssueOnceSayingSo() throws Exception {
        long incident = fixture.receive(mail("close@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);

        fixture.command(incident, Command.OPERATOR_CLOSED, "notifyOperatorClosed", "Уведомляем о закрытии");

        assertThat(((String) fixture.receivedBy("noc@op.example").get(0).getContent()))
                .as("the notice says how long the requester has to answer")
                .contains("в течение 1 с");
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorClosed");
        assertThat(autoClose.closeDue()).as("not yet due").isZero();

        awaitDue(1);
        assertThat(autoClose.closeDue())
                .as("a second sweep before the close ran")
                .isEqualTo(1);
        assertThat(fixture.jdbc.queryForObject(
                        "select count(*) from outbox where dedup_key like 'tracker.auto-close:%'", Long.class))
                .as("one close per notice")
                .isEqualTo(1);
        fixture.drain();

        assertThat(fixture.status(key)).isEqualTo("closed");
        assertThat(fixture.comments(key))
                .filteredOn(c -> c.startsWith("Заявка закрыта автоматически: за 1 с после уведомления о закрытии"))
                .hasSize(1);
        assertThat(fixture.history(incident)).endsWith("Уведомили о закрытии", "Закрыт");
        assertThat(autoClose.closeDue()).as("closed: nothing more to do").isZero();
    }

    @Test
    void anAnswerFromOutsideWithinTheTimeCancelsTheClose() throws Exception {
        long incident = fixture.receive(mail("keep@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);
        fixture.command(incident, Command.OPERATOR_CLOSED, "notifyOperatorClosed", "Уведомляем о закрытии");

        Long answered = fixture.receive(mail("keep-answer@op.example")
                .from("noc@op.example")
                .replyTo("keep@op.example")
                .subject("Re: Нет связи")
                .body("Связи всё ещё нет."));
        assertThat(answered).isEqualTo(incident);
        Thread.sleep(1500); // past the auto-close time

        assertThat(autoClose.closeDue()).isZero();
        fixture.drain();
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorClosed");
        assertThat(fixture.history(incident)).doesNotContain("Закрыт");
    }

    /** Sweeps until {@code expected} incidents are due (the notice is a second old), at most 30 s. */
    private void awaitDue(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (autoClose.closeDue() < expected) {
            if (System.nanoTime() > deadline) throw new AssertionError("no auto-close within 30 s");
            Thread.sleep(100);
        }
    }
}
