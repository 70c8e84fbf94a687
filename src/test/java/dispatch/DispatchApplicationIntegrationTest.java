package dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.RequestEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/** The service as an on-call admin meets it: health, metrics, version and its reference data after start-up. */
@DispatchIntegrationTest
@AutoConfigureTestRestTemplate
@SuppressWarnings("unchecked")
class DispatchApplicationIntegrationTest {

    @Autowired
    TestRestTemplate http;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void healthIsUpWithDatabaseAndMailboxCheckedAndShowsThemToAdmins() {
        var response = http.exchange(
                RequestEntity.get("/actuator/health")
                        .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                        .build(),
                Map.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).containsEntry("status", "UP");
        assertThat((Map<String, Object>) response.getBody().get("components")).containsKeys("db", "imap", "tracker");
    }

    @Test
    void livenessAndReadinessProbesAnswer() {
        assertThat(http.getForEntity("/actuator/health/liveness", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
        assertThat(http.getForEntity("/actuator/health/readiness", String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void prometheusMetricsAreServed() {
        var response = http.getForEntity("/actuator/prometheus", String.class);

        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).contains("jvm_memory_used_bytes", "hikaricp_connections");
    }

    @Test
    void infoShowsTheBuildVersionToAdmins() {
        var response = http.exchange(
                RequestEntity.get("/actuator/info")
                        .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                        .build(),
                Map.class);

        assertThat((Map<String, Object>) response.getBody().get("build")).containsKey("version");
    }

    @Test
    void defaultIncidentTypesCarryTheirSlaMinutes() {
        Map<String, Integer> sla = slaByType();

        assertThat(sla)
                .hasSize(7)
                .containsEntry("Угроза гибели / гибель объекта", 240)
                .containsEntry("Авария по питанию для МСК", 240)
                .containsEntry("Запрос на организацию доступа к объекту", 2880)
                .containsEntry("Авария ВОЛС", 1440);
        assertThat(jdbc.queryForList("select name from incident_status", String.class))
                .hasSize(12)
                .contains("Новый", "Закрыт", "Ошибка", "Передать подрядчику", "Передано подрядчику");
    }

    @Test
    void defaultDataIsInsertOrUpdateSoAnEditedSlaTakesEffect() throws Exception {
        jdbc.update("update incident_type set sla_minutes = 1 where name = 'Авария ВОЛС'");
        String script = new ClassPathResource("db/migration/R__incident_default_data.sql")
                .getContentAsString(StandardCharsets.UTF_8);

        jdbc.execute(script);
        jdbc.execute(script);

        assertThat(slaByType()).hasSize(7).containsEntry("Авария ВОЛС", 1440);
    }

    private Map<String, Integer> slaByType() {
        Map<String, Integer> sla = new java.util.HashMap<>();
        jdbc.query("select name, sla_minutes from incident_type", rs -> {
            sla.put(rs.getString(1), rs.getInt(2));
        });
        return sla;
    }
}
