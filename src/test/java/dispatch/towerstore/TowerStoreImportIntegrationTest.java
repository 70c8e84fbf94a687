package dispatch.towerstore;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import dispatch.standin.towerstore.FakeTowerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.springframework.web.client.RestClient;

/** Each report lands completely or not at all; what disappears is marked removed, never deleted. */
@DispatchIntegrationTest
@RecordApplicationEvents
@TestPropertySource(
        properties = {
            "dispatch.towerstore.retry-backoff=10ms",
            "dispatch.towerstore.auth-header-name=X-Api-Key",
            "dispatch.towerstore.auth-header-value=ts-secret"
        })
class TowerStoreImportIntegrationTest {

    @Autowired
    TowerStoreImport importer;

    @Autowired
    TowerStore towerStore;

    @Autowired
    StandIns standIns;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationEvents events;

    @LocalServerPort
    int port;

    FakeTowerStore fake;

    @BeforeEach
    void emptyReferenceData() throws Exception {
        jdbc.execute("truncate incident, base_station_operator, base_station, operator, contractor_email,"
                + " contractor_phone, pole, contractor restart identity cascade");
        fake = standIns.towerStore();
        fake.requireHeader("X-Api-Key", "ts-secret");
        for (String report : FakeTowerStore.REPORTS) {
            fake.serve(report, Files.readAllBytes(Path.of("data/samples/towerstore", report + ".json")));
        }
    }

    @Test
    void oneLookUpOfManyTokensFindsWhatTheSingleLookupsFind() {
        assertThat(importer.importAll()).allMatch(TowerStoreImport.Result::succeeded);
        List<String> tokens = List.of("50123-01", "50417-01", "MO0123", " MO0562", "TW_0077_Bereg", "5012", "none");
        List<String> prefixes = List.of("5012", "50123-0", "69077-", "none");

        TowerStore.Hits hits = towerStore.lookUp(tokens, prefixes, 5);

        for (String token : tokens) {
            assertThat(hits.polesByCode(token)).as(token).isEqualTo(towerStore.polesByCode(token));
            assertThat(hits.baseStationsByName(token)).as(token).isEqualTo(towerStore.baseStationsByName(token));
        }
        for (String prefix : prefixes) {
            assertThat(hits.polesByCodePrefix(prefix)).as(prefix).isEqualTo(towerStore.polesByCodePrefix(prefix, 5));
        }
        assertThat(hits.polesByCode("50417-01")).hasSize(2);
        assertThat(hits.polesByCodePrefix("5012")).hasSize(2);
        assertThat(hits.baseStationsByName("MO0562")).hasSize(1);
    }

    @Test
    void devSampleAnswersTheLookupsADispatcherMakes() {
        assertThat(importer.importAll()).allMatch(TowerStoreImport.Result::succeeded);

        TowerStore.Pole pole = single(towerStore.polesByCode("50123-01"));
        assertThat(pole.siteId()).isEqualTo(100101);
        assertThat(pole.latitude()).isEqualTo(56.137964);
        assertThat(towerStore.polesByCodePrefix("5012", 10))
                .extracting(TowerStore.Pole::code)
                .containsExactly("50123-01", "50123-02");
        assertThat(single(towerStore.polesByCode("51106-01")).latitude()).isNull();

        TowerStore.BaseStation mo0123 = single(towerStore.baseStationsByName("MO0123"));
        assertThat(mo0123.pole().code()).isEqualTo("50123-01");
        assertThat(towerStore.operatorsOf(mo0123.id())).containsExactly(new TowerStore.Operator("МобиТел", "МобиТел"));
        assertThat(towerStore.operatorsOf(
                        single(towerStore.baseStationsByName("MO0562")).id()))
                .containsExactly(
                        new TowerStore.Operator("МобиТел", "МобиТел"),
                        new TowerStore.Operator("СвязьПлюс", "СП Холдинг"));
        assertThat(towerStore.operatorsOf(
                        single(towerStore.baseStationsByName("RL760166")).id()))
                .containsExactly(new TowerStore.Operator("РадиоЛинк", null));
        assertThat(towerStore.baseStationsByNamePrefix("MO01", 10))
                .extracting(TowerStore.BaseStation::name)
                .containsExactly("MO0123", "MO0124");

        TowerStore.Contractor contractor = towerStore.contractorOf(pole.id()).orElseThrow();
        assertThat(contractor.name()).isEqualTo("АО «РемСвязьМонтаж»");
        assertThat(contractor.excludedFromContract()).isFalse();
        assertThat(contractor.emails())
                .containsExactly("avr-msk@remsvyazmontazh.example.test", "noc@remsvyazmontazh.example.test");
        assertThat(contractor.phones()).containsExactly("+79120000101", "+79120000102");
        TowerStore.Contractor none = towerStore
                .contractorOf(single(towerStore.polesByCode("51150-01")).id())
                .orElseThrow();
        assertThat(none.placeholder()).isTrue();
        assertThat(none.emails()).containsExactly("avr-default@example.test");
        assertThat(towerStore
                        .contractorOf(single(towerStore.polesByCode("40268-01")).id())
                        .orElseThrow())
                .satisfies(c -> assertThat(c.excludedFromContract()).isTrue())
                .satisfies(c -> assertThat(c.phones()).containsExactly("+79120000401"));
    }

    @Test
    void secondIdenticalImportChangesNothing() {
        List<TowerStoreImport.Result> first = importer.importAll();
        List<TowerStoreImport.Result> second = importer.importAll();

        assertThat(first).allMatch(r -> r.succeeded() && r.added() > 0);
        assertThat(second).allSatisfy(r -> {
            assertThat(r.failure()).isNull();
            assertThat(List.of(r.added(), r.updated(), r.removed())).containsOnly(0);
        });
    }

    @Test
    void malformedRowsAreSkippedWithoutStoppingTheImport() throws Exception {
        serveTestReports();

        List<TowerStoreImport.Result> results = importer.importAll();

        assertThat(results)
                .extracting(r -> List.of(r.report(), r.added(), r.skipped()))
                .containsExactly(List.of("poles", 5, 4), List.of("contractors", 2, 2), List.of("base_stations", 3, 2));
        assertThat(results).allMatch(TowerStoreImport.Result::succeeded);
        assertThat(single(towerStore.polesByCode("10002-01")))
                .satisfies(p -> assertThat(p.latitude()).isNull())
                .satisfies(p -> assertThat(p.longitude()).isNull())
                .satisfies(p -> assertThat(p.height()).isNull());
        assertThat(single(towerStore.polesByCode("10006-01")).latitude()).isNull();
        assertThat(towerStore.polesByCode("10001-01"))
                .extracting(TowerStore.Pole::siteId)
                .containsExactly(1L, 7L);
        assertThat(towerStore.polesByCode("10005-01")).isEmpty(); // duplicate SiteId 1: the first row wins

        TowerStore.Contractor alfa = towerStore
                .contractorOf(towerStore.polesByCode("10001-01").get(1).id())
                .orElseThrow();
        assertThat(alfa.name()).isEqualTo("ООО «Альфа»");
        assertThat(alfa.excludedFromContract()).isFalse();
        assertThat(alfa.emails()).containsExactly("a@alfa.test", "b@alfa.test");
        assertThat(alfa.phones()).containsExactly("+79120000101", "+79120000201", "+79120000401");
        TowerStore.Contractor beta = towerStore
                .contractorOf(single(towerStore.polesByCode("10006-01")).id())
                .orElseThrow();
        assertThat(beta.excludedFromContract()).isTrue();
        assertThat(beta.emails()).containsExactly("avr-default@example.test");
        assertThat(beta.phones()).containsExactly("+79120000301");
        assertThat(towerStore
                        .contractorOf(single(towerStore.polesByCode("10009-01")).id())
                        .orElseThrow()
                        .placeholder())
                .isTrue();

        TowerStore.BaseStation aa = single(towerStore.baseStationsByName("AA0001"));
        assertThat(aa.pole().siteId()).isEqualTo(1);
        assertThat(towerStore.operatorsOf(aa.id()))
                .containsExactly(
                        new TowerStore.Operator("МобиТел", "МобиТел"), new TowerStore.Operator("СвязьПлюс", null));
        assertThat(towerStore.operatorsOf(
                        single(towerStore.baseStationsByName("BB0006")).id()))
                .isEmpty();
        assertThat(towerStore.operatorsOf(
                        single(towerStore.baseStationsByName("CC0002")).id()))
                .containsExactly(new TowerStore.Operator("5", "Г"));
    }

    @Test
    void truncatedReportLeavesThePreviousDataIntactAndRaisesAnEvent() throws Exception {
        importer.importAll();
        List<Long> before =
                jdbc.queryForList("select id from base_station where removed_at is null order by id", Long.class);
        serveTestReports();
        fake.serve("base_stations", resource("base_stations-truncated.json"));

        List<TowerStoreImport.Result> results = importer.importAll();

        assertThat(results.get(2).failure()).contains("invalid JSON");
        assertThat(jdbc.queryForList("select id from base_station where removed_at is null order by id", Long.class))
                .isEqualTo(before);
        assertThat(events.stream(TowerStoreImportFailed.class))
                .singleElement()
                .satisfies(e -> assertThat(e.report()).isEqualTo("base_stations"));
    }

    @Test
    void missingRequiredColumnFailsTheReportNamingTheColumn() throws Exception {
        importer.importAll();
        long links = count("base_station_operator");
        fake.serve("base_stations", resource("base_stations-missing-column.json"));

        TowerStoreImport.Result result = importer.importAll().get(2);

        assertThat(result.failure()).contains("«Группа операторов»");
        assertThat(count("base_station_operator")).isEqualTo(links);
        assertThat(count("base_station where removed_at is not null")).isZero();
    }

    @Test
    void serverErrorsAreRetriedAndAPersistentOneFailsOnlyThatReport() {
        int poleRequests = fake.requests("poles");
        int contractorRequests = fake.requests("contractors");
        fake.failNext("poles", 503);
        fake.fail("contractors", 500);

        List<TowerStoreImport.Result> results = importer.importAll();

        assertThat(results.get(0).succeeded()).isTrue();
        assertThat(fake.requests("poles") - poleRequests).isEqualTo(2);
        assertThat(results.get(1).failure()).contains("HTTP 500").contains("3 attempts");
        assertThat(fake.requests("contractors") - contractorRequests).isEqualTo(3);
        assertThat(results.get(2).succeeded()).isTrue();
        assertThat(events.stream(TowerStoreImportFailed.class))
                .containsExactly(
                        new TowerStoreImportFailed("contractors", results.get(1).failure()));
        fake.recover("contractors");
    }

    @Test
    void poleThatDisappearsIsMarkedRemovedAndItsIncidentKeepsTheReference() throws Exception {
        importer.importAll();
        TowerStore.BaseStation bs = single(towerStore.baseStationsByName("MO0123"));
        jdbc.update(
                "insert into incident (code, incident_at, registration_method, pole_id, base_station_id)"
                        + " values ('INC-1', now(), 'EMAIL', ?, ?)",
                bs.pole().id(),
                bs.id());
        byte[] original = Files.readAllBytes(Path.of("data/samples/towerstore/poles.json"));
        fake.serve("poles", withoutPole(original, "50123-01"));

        List<TowerStoreImport.Result> results = importer.importAll();

        assertThat(results.get(0).removed()).isEqualTo(1);
        assertThat(results.get(2).removed()).isEqualTo(2); // MO0123 and 50-0123 stood on it
        assertThat(towerStore.polesByCode("50123-01")).isEmpty();
        assertThat(towerStore.baseStationsByName("MO0123")).isEmpty();
        assertThat(jdbc.queryForMap("select pole_id, base_station_id from incident where code = 'INC-1'"))
                .containsEntry("pole_id", bs.pole().id())
                .containsEntry("base_station_id", bs.id());

        fake.serve("poles", original);
        List<TowerStoreImport.Result> back = importer.importAll();

        assertThat(back.get(0).updated()).isEqualTo(1);
        assertThat(single(towerStore.baseStationsByName("MO0123")).id()).isEqualTo(bs.id());
    }

    @Test
    void contractorThatDisappearsIsMarkedRemovedAndItsPolesGoToThePlaceholder() throws Exception {
        importer.importAll();
        String contractors = Files.readString(Path.of("data/samples/towerstore/contractors.json"));
        fake.serve(
                "contractors",
                contractors.replace("ООО «Альфа-Связь Сервис»", "").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        TowerStoreImport.Result result = importer.importAll().get(1);

        assertThat(result.removed()).isEqualTo(1);
        assertThat(jdbc.queryForObject(
                        "select removed_at is not null from contractor where name = 'ООО «Альфа-Связь Сервис»'",
                        Boolean.class))
                .isTrue();
        assertThat(towerStore
                        .contractorOf(single(towerStore.polesByCode("40268-01")).id())
                        .orElseThrow()
                        .placeholder())
                .isTrue();
    }

    @Test
    void adminEndpointImportsAndReadTokenIsRefused() {
        RestClient client = RestClient.create("http://127.0.0.1:" + port);

        String body = client.post()
                .uri("/api/v1/admin/towerstore/import")
                .header("Authorization", "Bearer " + StandIns.ADMIN_TOKEN)
                .retrieve()
                .body(String.class);
        int readStatus = client.post()
                .uri("/api/v1/admin/towerstore/import")
                .header("Authorization", "Bearer " + StandIns.API_TOKEN)
                .exchange((req, res) -> res.getStatusCode().value());

        assertThat(body).contains("\"report\":\"poles\"").contains("\"added\":42");
        assertThat(readStatus).isEqualTo(403);
        String metrics = client.get().uri("/actuator/prometheus").retrieve().body(String.class);
        assertThat(metrics)
                .contains("dispatch_towerstore_rows_total{outcome=\"added\",report=\"poles\"}")
                .contains("dispatch_towerstore_import_seconds_count{report=\"base_stations\",result=\"success\"}")
                .contains("dispatch_towerstore_last_success_timestamp_seconds{report=\"contractors\"}");
    }

    @Test
    void lookupsUseTheIndexesEvenWithAGenericPlan() {
        // Generic plans (threading forces them, any prepared statement may get one) know no parameter values, so a
        // "starts with" must be an index range on the parameter itself, not a like pattern read at planning time.
        assertThat(genericPlan(TowerStore.POLES_BY_CODE)).contains("pole_code_idx");
        assertThat(genericPlan(TowerStore.POLES_BY_PREFIX)).contains("pole_code_idx");
        assertThat(genericPlan(TowerStore.STATIONS_BY_NAME)).contains("base_station_name_idx");
        assertThat(genericPlan(TowerStore.STATIONS_BY_PREFIX)).contains("base_station_name_idx");
        // The batched lookup takes its prefixes from rows of unnest(): never a value known when planning.
        assertThat(genericPlan(TowerStore.LOOK_UP)).contains("pole_code_idx").doesNotContain("Seq Scan on pole");
    }

    /** The generic plan of a statement with named parameters, sequential scans discouraged (the tables are small). */
    private String genericPlan(String sql) {
        Matcher named = Pattern.compile("(?<!:):(\\w+)").matcher(sql);
        List<String> names = new ArrayList<>();
        String numbered = named.replaceAll(m -> {
            if (!names.contains(m.group(1))) names.add(m.group(1));
            return "\\$" + (names.indexOf(m.group(1)) + 1);
        });
        String nulls = String.join(", ", Collections.nCopies(names.size(), "null"));
        return jdbc.execute((ConnectionCallback<String>) connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("set enable_seqscan = off");
                statement.execute("set plan_cache_mode = force_generic_plan");
                statement.execute("prepare generic_plan_check as " + numbered);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rows = statement.executeQuery("explain execute generic_plan_check(" + nulls + ")")) {
                    while (rows.next()) plan.append(rows.getString(1)).append('\n');
                }
                statement.execute("deallocate generic_plan_check");
                statement.execute("reset plan_cache_mode");
                statement.execute("reset enable_seqscan");
                return plan.toString();
            }
        });
    }

    private void serveTestReports() throws Exception {
        for (String report : FakeTowerStore.REPORTS) {
            fake.serve(report, resource(report + ".json"));
        }
    }

    private static byte[] resource(String name) throws Exception {
        return new ClassPathResource("towerstore/" + name).getContentAsByteArray();
    }

    private static byte[] withoutPole(byte[] poles, String code) {
        var mapper = tools.jackson.databind.json.JsonMapper.builder().build();
        var array = (tools.jackson.databind.node.ArrayNode) mapper.readTree(poles);
        for (int i = array.size() - 1; i >= 0; i--) {
            if (code.equals(array.get(i).get("Шифр").asString())) {
                array.remove(i);
            }
        }
        return mapper.writeValueAsBytes(array);
    }

    private long count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Long.class);
    }

    private static <T> T single(List<T> list) {
        assertThat(list).hasSize(1);
        return list.get(0);
    }
}
