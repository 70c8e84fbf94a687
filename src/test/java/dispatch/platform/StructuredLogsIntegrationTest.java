package dispatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** With JSON logs on, the lines of a piece of work carry what an admin searches by (README "Logs"). */
@DispatchIntegrationTest
@TestPropertySource(properties = "logging.structured.format.console=ecs")
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @OutboxPayload.Kind("logs.test")
    record Probe(String text) implements OutboxPayload {}

    @TestConfiguration
    static class ProbeHandler {
        private static final Logger log = LoggerFactory.getLogger(ProbeHandler.class);

        @Bean
        OutboxHandler<Probe> probeHandler() {
            return new OutboxHandler<>() {
                @Override
                public Class<Probe> payloadType() {
                    return Probe.class;
                }

                @Override
                public void handle(OutboxMessage<Probe> message) {
                    log.info("Probe {} delivered", message.payload().text());
                }
            };
        }
    }

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    StandIns standIns;

    @Autowired
    Outbox outbox;

    @Autowired
    OutboxWorker worker;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    @AfterAll
    static void plainLogsForTheTestsAfterThis() {
        LoggingSystem logging = LoggingSystem.get(StructuredLogsIntegrationTest.class.getClassLoader());
        logging.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
    }

    @Test
    void threadingLinesCarryTheIncidentCodeAndTheMessageId(CapturedOutput output) {
        String id = UUID.randomUUID() + "@op.example";
        standIns.mail()
                .append(
                        "INBOX",
                        ("Message-ID: <" + id + ">\r\nFrom: noc@op.example\r\nTo: " + MailServer.ADDRESS
                                        + "\r\nSubject: Авария на опоре 50123-01\r\n"
                                        + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\nMIME-Version: 1.0\r\n"
                                        + "Content-Type: text/plain; charset=utf-8\r\n\r\nнет связи\r\n")
                                .getBytes(StandardCharsets.UTF_8));
        intake.pollOnce();
        threading.threadPending();
        String messageId = jdbc.queryForObject(
                "select message_id from email_message where message_id like ?", String.class, "%" + id + "%");
        String code = jdbc.queryForObject(
                "select i.code from incident i join email_message m on m.incident_id = i.id where m.message_id = ?",
                String.class,
                messageId);

        JsonNode opened = line(output, "opened incident " + code);

        assertThat(opened.path(LogContext.INCIDENT).asString()).isEqualTo(code);
        assertThat(opened.path(LogContext.MESSAGE_ID).asString()).isEqualTo(messageId);
    }

    @Test
    void outboxDeliveryLinesCarryTheOutboxIdAndKind(CapturedOutput output) {
        String text = "probe-" + UUID.randomUUID();
        transactions.executeWithoutResult(s -> outbox.enqueue(text, text, new Probe(text)));
        long outboxId = jdbc.queryForObject("select id from outbox where dedup_key = ?", Long.class, text);

        worker.drain();

        JsonNode delivered = line(output, "Probe " + text + " delivered");
        assertThat(delivered.path(LogContext.OUTBOX_ID).asString()).isEqualTo(String.valueOf(outboxId));
        assertThat(delivered.path(LogContext.OUTBOX_KIND).asString()).isEqualTo("logs.test");
    }

    /** The one JSON line whose message contains {@code text}; every line around it must be JSON too. */
    private static JsonNode line(CapturedOutput output, String text) {
        List<JsonNode> matching = output.getOut()
                .lines()
                .filter(l -> l.contains(text))
                .map(JSON::readTree)
                .filter(json -> json.path("message").asString().contains(text))
                .toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }
}
