package dispatch.incident;

import static dispatch.incident.ThreadingSmokeIntegrationTest.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.MailIntake;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStoreImport;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** What an incident opened by mail starts with: location, first status, dispatcher, the incident it continues. */
@DispatchIntegrationTest
class IncidentOpeningIntegrationTest {

    @Autowired
    MailIntake intake;

    @Autowired
    Threading threading;

    @Autowired
    StandIns standIns;

    @Autowired
    TowerStore towerStore;

    @Autowired
    TowerStoreImport towerStoreImport;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void clean() throws Exception {
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, incident cascade");
        if (towerStore.polesByCode("50123-01").isEmpty()) {
            towerStoreImport.importAll();
        }
    }

    @Test
    void newIncidentStartsAtThePoleAndBaseStationTheMailNames() {
        receive(mail("p1@op.example", null, "БС MO0123 (опора 50123-01) без питания", ""));

        TowerStore.BaseStation bs = towerStore.baseStationsByName("MO0123").get(0);
        assertThat(jdbc.queryForMap("select pole_id, base_station_id, location_note from incident"))
                .containsEntry("pole_id", bs.pole().id())
                .containsEntry("base_station_id", bs.id())
                .containsEntry("location_note", null);
    }

    @Test
    void replyNamingThePoleLocatesAnIncidentOpenedWithoutOne() {
        receive(mail("q1@op.example", null, "нет связи", ""));
        assertThat(jdbc.queryForObject("select pole_id from incident", Long.class))
                .isNull();

        receive(mail("q2@op.example", "q1@op.example", "Re: нет связи на опоре 50123-01", ""));

        assertThat(jdbc.queryForObject("select pole_id from incident", Long.class))
                .isEqualTo(towerStore.polesByCode("50123-01").get(0).id());
    }

    @Test
    void replyAfterTheReopenWindowOpensAContinuationThatNamesThePreviousIncident() {
        receive(mail("r1@op.example", null, "Авария", ""));
        String first = jdbc.queryForObject("select code from incident", String.class);
        jdbc.update("update incident set finished_at = timestamptz '2026-11-01 00:00Z'");

        receive(mail("r2@op.example", "r1@op.example", "Re: Авария", ""));

        Map<String, Object> continuation = jdbc.queryForMap(
                "select i.id, p.code as previous from incident i join incident p on p.id = i.continues_incident_id");
        assertThat(continuation).containsEntry("previous", first);
        assertThat(jdbc.queryForList(
                        "select kind || ' ' || (detail ->> 'previous') from incident_event where incident_id = ?",
                        String.class,
                        continuation.get("id")))
                .containsExactly("CONTINUES " + first);
        assertThat(jdbc.queryForList(
                        "select s.name from incident_status_history h join incident_status s on s.id = h.status_id"
                                + " where h.incident_id = ?",
                        String.class,
                        continuation.get("id")))
                .containsExactly(IncidentStatus.NEW.text());
    }

    @Test
    void newIncidentsGoToTheDispatcherWithFewestOpenOnesThenToWhoWaitedLongest() {
        standIns.mail().append("INBOX", mail("s1@op.example", null, "Авария 1", ""));
        standIns.mail().append("INBOX", mail("s2@op.example", null, "Авария 2", ""));
        standIns.mail().append("INBOX", mail("s3@op.example", null, "Авария 3", ""));
        intake.pollOnce();
        threading.threadPending();

        List<Long> dispatchers = jdbc.queryForList("select dispatcher_id from incident order by id", Long.class);
        assertThat(dispatchers).hasSize(3).doesNotContainNull();
        assertThat(dispatchers.get(1)).isNotEqualTo(dispatchers.get(0));
        assertThat(dispatchers.get(2)).isEqualTo(dispatchers.get(0));
    }

    private void receive(byte[] mail) {
        standIns.mail().append("INBOX", mail);
        intake.pollOnce();
        threading.threadPending();
    }
}
