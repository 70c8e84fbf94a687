package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.autoreply.Drafts.Draft;
import dispatch.incident.Incidents;
import dispatch.standin.DispatchIntegrationTest;
import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The contractor's hand-over, word for word, on a pole, base station and contractor of its own: where the incident
 * is (the base station's pole when the incident names no pole; the region in Russian where TowerStore gives it),
 * its type and its SLA deadline (shown in Moscow time).
 */
@DispatchIntegrationTest
class HandOverTextIntegrationTest {

    private static final String OWN = "dispatch@tower.example";
    /** 09:30 in Moscow; the type's SLA is 1440 minutes. */
    private static final Instant REGISTERED = Instant.parse("2026-03-02T06:30:00Z");

    private static final String TYPE = "Авария ВОЛС";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Incidents incidents;

    @Autowired
    Drafts drafts;

    private final long site = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
    private long contractor;
    private long operator;
    private long pole;
    private long station;
    private long incident;

    @BeforeEach
    void referenceData() {
        contractor = jdbc.queryForObject(
                "insert into contractor (name) values (?) returning id", Long.class, "Подрядчик " + site);
        jdbc.update(
                "insert into contractor_email (contractor_id, email) values (?, ?)", contractor, site + "@c.example");
        operator = jdbc.queryForObject(
                "insert into operator (name, group_name) values (?, 'ВК') returning id",
                Long.class,
                "Оператор " + site);
        pole = jdbc.queryForObject("""
                insert into pole (site_id, code, region, region_ru, address, latitude, longitude, contractor_id)
                values (?, ?, 'Tver Oblast', null, 'д. Горки, ул. Лесная, 1', 56.8587, 35.9176, ?) returning id
                """, Long.class, site, "HO-" + site, contractor);
        station = jdbc.queryForObject(
                "insert into base_station (pole_id, name) values (?, ?) returning id", Long.class, pole, "BS-" + site);
        jdbc.update(
                "insert into base_station_operator (base_station_id, operator_id) values (?, ?)", station, operator);
        incident = incidents.openManual("HO-" + site, REGISTERED, "Нет связи");
        incidents.setType(incident, TYPE);
    }

    @AfterEach
    void removeIt() {
        jdbc.update("delete from incident where id = ?", incident);
        jdbc.update("delete from base_station where id = ?", station);
        jdbc.update("delete from pole where id = ?", pole);
        jdbc.update("delete from operator where id = ?", operator);
        jdbc.update("delete from contractor where id = ?", contractor);
    }

    @Test
    void anIncidentWithOnlyABaseStationIsHandedOverWithThatStationsPole() {
        incidents.setLocation(incident, null, station);

        Draft draft = drafts.draft(incident, Command.CONTRACTOR_IN_WORK, OWN);

        assertThat(draft.error()).isNull();
        assertThat(draft.to()).containsExactly(site + "@c.example");
        assertThat(draft.subject()).isEqualTo("Re: HO-" + site + ": Нет связи");
        assertThat(draft.text()).isEqualTo(text("Tver Oblast"));
    }

    @Test
    void theRegionIsShownInRussianWhereTowerStoreGivesIt() {
        jdbc.update("update pole set region_ru = 'Тверская область' where id = ?", pole);
        incidents.setLocation(incident, pole, station);

        assertThat(drafts.draft(incident, Command.CONTRACTOR_IN_WORK, OWN).text())
                .isEqualTo(text("Тверская область"));
    }

    @Test
    void anIncidentWithoutPoleOrBaseStationIsNotHandedOver() {
        Draft draft = drafts.draft(incident, Command.CONTRACTOR_IN_WORK, OWN);

        assertThat(draft.error()).isEqualTo(Drafts.NO_LOCATION);
        assertThat(draft.to()).isEqualTo(List.of());
    }

    private String text(String region) {
        return """
                На вас назначен новый инцидент.
                ИНФОРМАЦИЯ ОБ ОПОРЕ:
                   • Шифр опоры: HO-%1$d
                   • Регион: %2$s
                   • Адрес: д. Горки, ул. Лесная, 1
                   • Координаты: 56.8587, 35.9176

                ИНФОРМАЦИЯ О БАЗОВОЙ СТАНЦИИ:
                   • Номер БС: BS-%1$d
                   • Операторы: Оператор %1$d

                ДЕТАЛИ ИНЦИДЕНТА:
                   • Дата регистрации: 02.03.2026 09:30
                   • SLA дедлайн: 03.03.2026 09:30
                   • Тип инцидента: Авария ВОЛС
                   • Описание типа: Нарушение работы волоконно-оптических линий связи


                ВАЖНО: НЕ МЕНЯЙТЕ ТЕМУ ПИСЬМА ПРИ ОТВЕТЕ""".formatted(site, region);
    }
}
