package dispatch.autoreply;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.tracker.StatusCommandIssued.Command;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The SMTP server took the auto-reply, but its answer came after the service stopped waiting (found by the proof,
 * {@code proof/run.sh}, on a loaded host): the attempt failed without knowing whether the mail went out. The retry
 * must wait for the mail's copy in the mailbox, not send it a second time.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms",
            "dispatch.outbox.lease=1s",
            "dispatch.mail.smtp.timeout=1s"
        })
class AutoReplyLostAnswerIntegrationTest {

    @Autowired
    ApplicationContext context;

    AutoReplyFixture fixture;

    @BeforeEach
    void clean() throws Exception {
        fixture = new AutoReplyFixture(context);
    }

    @Test
    void anAutoReplyWhoseAnswerCameTooLateIsNotSentAgain() throws Exception {
        long incident = fixture.receive(mail("late@op.example")
                .from("noc@op.example")
                .subject("Нет связи")
                .body("Нет связи."));
        String key = fixture.trackerKey(incident);
        // The server has the mail and answers "250" only after the service's 1 s read timeout.
        CountDownLatch answered = new CountDownLatch(1);
        fixture.standIns.mail().onNextDeliveryTo("noc@op.example", () -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answered.countDown();
        });

        fixture.commandWithoutDraining(
                incident, Command.OPERATOR_IN_WORK, "notifyOperatorInWork", "Уведомляем оператора");
        fixture.drainOnce();
        assertThat(answered.await(30, TimeUnit.SECONDS)).isTrue();
        // GreenMail stores the mail right after the delivery handler returns: wait for it (bounded).
        for (int i = 0; i < 300 && fixture.receivedBy("noc@op.example").isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(lastError()).as("the first attempt timed out").isNotNull();

        // The retry, before intake stored the dispatch mailbox's copy, waits for it.
        fixture.redeliverAutoReplies();
        fixture.drainOnce();
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(lastError()).contains("waiting for its copy");

        // Once intake stored the copy, the next retry finds it and records the outcome.
        fixture.intake.pollOnce();
        fixture.threading.threadPending();
        fixture.redeliverAutoReplies();
        fixture.drain();
        assertThat(fixture.receivedBy("noc@op.example")).hasSize(1);
        assertThat(fixture.sentRecords()).isEqualTo(1);
        assertThat(fixture.status(key)).isEqualTo("notifiedOperatorInWork");
    }

    private String lastError() {
        return fixture.jdbc.queryForObject(
                "select last_error from outbox where kind = ?", String.class, AutoReplies.KIND);
    }
}
