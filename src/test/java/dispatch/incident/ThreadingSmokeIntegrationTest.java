package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.MailIntake;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.mail.MailServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.client.RestClient;

/** The basic conversation: a new mail opens an incident once, its reply joins it, an auto-reply opens nothing. */
@DispatchIntegrationTest
class ThreadingSmokeIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @LocalServerPort
    int port;

    @BeforeEach
    void clean() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident cascade");
    }

    @Test
    void replyJoinsTheIncidentOfItsOriginalAndNewIsRecordedOnce() {
        standIns.mail().append("INBOX", mail("a1@op.example", null, "Авария на опоре 50123-01", ""));
        standIns.mail().append("INBOX", mail("a2@op.example", "a1@op.example", "Re: Авария на опоре 50123-01", ""));
        standIns.mail()
                .append(
                        "INBOX",
                        mail("auto@op.example", "a1@op.example", "Автоответ", "Auto-Submitted: auto-replied\r\n"));
        intake.pollOnce();

        threading.threadPending();

        assertThat(jdbc.queryForObject("select count(*) from incident", Long.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForList("select match_method from email_message order by id", String.class))
                .containsExactly("NEW_INCIDENT", "IN_REPLY_TO", "IN_REPLY_TO");
        assertThat(jdbc.queryForObject(
                        "select count(*) from incident_status_history h join incident_status s on s.id = h.status_id"
                                + " where s.name = 'Новый'",
                        Long.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("select summary from incident", String.class))
                .isEqualTo("Авария на опоре 50123-01");
    }

    @Test
    void replyThatArrivesBeforeItsOriginalEndsInOneIncident() {
        standIns.mail().append("INBOX", mail("b2@op.example", "b1@op.example", "Re: нет связи", ""));
        intake.pollOnce();
        threading.threadPending();
        standIns.mail().append("INBOX", mail("b1@op.example", null, "нет связи", ""));
        intake.pollOnce();
        threading.threadPending();

        assertThat(jdbc.queryForObject("select count(*) from incident", Long.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForList("select match_method from email_message order by id", String.class))
                .containsExactly("NEW_INCIDENT", "REPLY_ARRIVED_FIRST");
    }

    @Test
    void adminMovesAMailWithItsRepliesAndSplitsOneOffBothRecorded() {
        standIns.mail().append("INBOX", mail("c1@op.example", null, "Авария 1", ""));
        standIns.mail().append("INBOX", mail("d1@op.example", null, "Авария 2", ""));
        standIns.mail().append("INBOX", mail("d2@op.example", "d1@op.example", "Re: Авария 2", ""));
        intake.pollOnce();
        threading.threadPending();
        String first = code("c1@op.example");
        long d1 = mailId("d1@op.example");
        RestClient api = RestClient.create("http://127.0.0.1:" + port);

        var withReadToken = api.post()
                .uri("/api/v1/admin/mails/{id}/move", d1)
                .header("Authorization", "Bearer " + StandIns.API_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("incident", first))
                .retrieve()
                .onStatus(st -> true, (rq, rs) -> {})
                .toBodilessEntity();
        Map<String, Object> moved = api.post()
                .uri("/api/v1/admin/mails/{id}/move", d1)
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("incident", first))
                .retrieve()
                .body(new ParameterizedTypeReference<>() {});
        Map<String, Object> split = api.post()
                .uri("/api/v1/admin/mails/{id}/split", mailId("d2@op.example"))
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .retrieve()
                .body(new ParameterizedTypeReference<>() {});

        assertThat(withReadToken.getStatusCode().value()).isEqualTo(403);
        assertThat(moved).containsEntry("incident", first);
        assertThat((List<?>) moved.get("mails")).hasSize(2);
        assertThat(code("d1@op.example")).isEqualTo(first);
        assertThat(code("d2@op.example")).isEqualTo(split.get("incident")).isNotEqualTo(first);
        assertThat(jdbc.queryForList("select kind from incident_event order by id", String.class))
                .containsExactly("MANUAL_MOVE", "MANUAL_MOVE_OUT", "MANUAL_SPLIT", "MANUAL_SPLIT_OUT");
    }

    private String code(String messageId) {
        return jdbc.queryForObject(
                "select i.code from incident i join email_message m on m.incident_id = i.id where m.message_id = ?",
                String.class,
                messageId);
    }

    private long mailId(String messageId) {
        return jdbc.queryForObject("select id from email_message where message_id = ?", Long.class, messageId);
    }

    static byte[] mail(String id, String inReplyTo, String subject, String extraHeaders) {
        return ("Message-ID: <" + id + ">\r\n"
                        + (inReplyTo == null
                                ? ""
                                : "In-Reply-To: <" + inReplyTo + ">\r\nReferences: <" + inReplyTo + ">\r\n")
                        + extraHeaders
                        + "From: noc@op.example\r\nTo: " + MailServer.ADDRESS + "\r\nSubject: " + subject + "\r\n"
                        + "Date: Fri, 20 Nov 2026 10:00:00 +0300\r\nMIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nтекст\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }
}
