package dispatch.incident;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.telegram.FakeTelegram;
import dispatch.towerstore.TowerStoreImport;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.RestClient;

/**
 * One sender flooding the desk with new incidents, through the real path (GreenMail, intake, threading, the fake
 * Tracker and Telegram): the default limits let 30 incidents open, hold the rest without blocking anyone else, alert
 * once, and release in the original order; replies and alarm robots are never held.
 */
@DispatchIntegrationTest
@TestPropertySource(
        properties = {
            "dispatch.mail.robot-senders=alarms@noc.carrier.example",
            "dispatch.incident.flood.allow-list=@trusted.example",
            "dispatch.outbox.initial-backoff=10ms",
            "dispatch.outbox.max-backoff=40ms"
        })
class FloodProtectionIntegrationTest {

    private static final Instant START = Instant.parse("2026-11-20T07:00:00Z");
    private static final String FLOODER = "spam@flood.example";

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    HeldMail heldMail;

    @Autowired
    OutboxWorker outbox;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TowerStoreImport towerStoreImport;

    @LocalServerPort
    int port;

    FakeTelegram telegram;

    @BeforeEach
    void clean() throws Exception {
        standIns.tracker().reset();
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident, outbox, alert cascade");
        if (jdbc.queryForObject("select count(*) from pole", Long.class) == 0) {
            towerStoreImport.importAll();
        }
        telegram = standIns.telegram();
        telegram.clear();
    }

    @Test
    void fiveHundredNewIncidentsFromOneSenderOpenThirtyAndTheRestWaitForAnAdmin() {
        double heldBefore = held();
        for (int i = 0; i < 500; i++) {
            append(mail("flood-" + i + "@flood.example")
                    .from(FLOODER)
                    .subject("Купите " + i)
                    .at(START.plusSeconds(i)));
        }
        // A reply to an incident the flood opened, a colleague's new incident, a robot's alarms: none is held.
        append(mail("reply@flood.example")
                .from(FLOODER)
                .replyTo("flood-3@flood.example")
                .subject("Re: Купите 3")
                .at(START.plusSeconds(600)));
        append(mail("colleague@op.example").from("engineer@op.example").at(START.plusSeconds(601)));
        for (int i = 0; i < 40; i++) {
            append(mail("alarm-" + i + "@noc.carrier.example")
                    .from("alarms@noc.carrier.example")
                    .subject("ALARM BS " + i)
                    .at(START.plusSeconds(700 + i)));
        }
        intake.pollOnce();
        threading.threadPending();
        drain();

        assertThat(opened(FLOODER)).isEqualTo(30);
        assertThat(methodOf("flood-30@flood.example")).isEqualTo("HELD");
        assertThat(count("select count(*) from email_message where match_method = 'HELD'"))
                .isEqualTo(470);
        assertThat(count("select count(*) from email_message where match_method is null"))
                .as("held mail does not block the queue")
                .isZero();
        assertThat(methodOf("reply@flood.example")).isEqualTo("IN_REPLY_TO");
        assertThat(methodOf("colleague@op.example")).isEqualTo("NEW_INCIDENT");
        assertThat(opened("alarms@noc.carrier.example")).isEqualTo(40);
        assertThat(standIns.tracker().issues()).hasSize(30 + 1 + 40);
        assertThat(telegram.messages())
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains(FLOODER, "30", "/api/v1/admin/held-mail"));
        assertThat(held() - heldBefore).isEqualTo(470);

        List<Map<String, Object>> listed = admin().get().retrieve().body(new ParameterizedTypeReference<>() {});
        assertThat(listed).hasSize(470);
        assertThat(listed.get(0))
                .containsEntry("from", FLOODER)
                .containsEntry("sender", FLOODER)
                .containsEntry("scope", "ADDRESS");

        Map<String, Object> released = admin().post()
                .uri("/release")
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("sender", "SPAM@flood.example"))
                .retrieve()
                .body(new ParameterizedTypeReference<>() {});

        assertThat(released).containsEntry("released", 470).containsEntry("threaded", 470);
        assertThat(opened(FLOODER)).isEqualTo(500);
        assertThat(jdbc.queryForList("""
                        select m.message_id from email_message m join incident i on i.id = m.incident_id
                        where m.from_address = ? and m.match_method = 'NEW_INCIDENT' order by i.id
                        """, String.class, FLOODER))
                .as("released mail opens its incidents in the order it was sent")
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 500)
                        .mapToObj(i -> "flood-" + i + "@flood.example")
                        .toList());
        assertThat(admin().get().retrieve().body(List.class)).isEmpty();
    }

    @Test
    void heldMailIsReleasedByItselfOnceTheWindowHasPassedAndAnAllowedDomainIsNeverHeld() {
        for (int i = 0; i < 32; i++) {
            append(mail("w-" + i + "@flood.example").from(FLOODER).at(START.plusSeconds(i)));
            append(mail("t-" + i + "@trusted.example")
                    .from("desk@trusted.example")
                    .at(START.plusSeconds(i)));
        }
        intake.pollOnce();
        threading.threadPending();
        assertThat(opened(FLOODER)).isEqualTo(30);
        assertThat(opened("desk@trusted.example")).isEqualTo(32);

        assertThat(heldMail.releaseDue()).as("the window has not passed").isZero();
        jdbc.update("update mail_hold set release_after = now() - interval '1 second'");
        assertThat(heldMail.releaseDue()).isEqualTo(2);
        threading.threadPending();
        drain();

        assertThat(opened(FLOODER)).isEqualTo(32);
        assertThat(telegram.messages()).hasSize(1);
    }

    private void append(dispatch.standin.mail.TestMails mail) {
        standIns.mail().append("INBOX", mail.bytes());
    }

    private RestClient admin() {
        return RestClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/api/v1/admin/held-mail")
                .defaultHeader("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .build();
    }

    private long opened(String from) {
        return count("select count(*) from email_message where match_method = 'NEW_INCIDENT' and from_address = '"
                + from + "'");
    }

    private String methodOf(String messageId) {
        return jdbc.queryForObject(
                "select match_method from email_message where message_id = ?", String.class, messageId);
    }

    private long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }

    private double held() {
        var counter = meters.find("dispatch.incident.flood.held").counter();
        return counter == null ? 0 : counter.count();
    }

    private void drain() {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            outbox.drain();
            if (count("select count(*) from outbox where status = 'PENDING'") == 0) return;
        }
        throw new AssertionError("outbox not drained");
    }
}
