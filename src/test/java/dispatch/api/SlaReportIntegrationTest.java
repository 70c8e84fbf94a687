package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /api/v1/reports/sla} end to end: nine incidents whose outcomes are worked out by hand (met, breached,
 * open before and past the deadline, without an SLA, on the period's edges) counted per type, region, contractor and
 * dispatcher; "now" deciding open breaches; CSV; tokens; hostile parameters; statements per request; OpenAPI.
 */
@DispatchIntegrationTest
@Import(ReportsTestSupport.class)
@TestPropertySource(properties = "dispatch.api.metrics-token=" + SlaReportIntegrationTest.METRICS_TOKEN)
class SlaReportIntegrationTest {

    static final String METRICS_TOKEN = "metrics-token-of-the-sla-report-test";
    static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z"); // 12:00 in Moscow
    static final String NOVEMBER = "/api/v1/reports/sla?from=2026-11-01&to=2026-12-01";
    static final String THREAT = "Угроза гибели / гибель объекта"; // 240 minutes
    static final String FIBRE = "Авария ВОЛС"; // 1440 minutes
    static final ObjectMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReportsTestSupport.SettableClock clock;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void incidentsWithKnownOutcomes() {
        clock.set(NOW);
        ReportFixtures db = new ReportFixtures(jdbc);
        db.clear();
        long avr1 = db.contractor("АВР-1");
        long avr2 = db.contractor("АВР-2");
        long moscow1 = db.pole("50001-01", "Московская область", null, null, null, avr1);
        long moscow2 = db.pole("50002-01", "Московская область", null, null, null, avr2);
        long tver = db.pole("60001-01", "Тверская область", null, null, null, avr2);
        long petrov = db.dispatcher("petrov");
        long ivanov = db.dispatcher("ivanov");

        // 1. Threat, finished in 120 min (met); contractor finished 60 min after the hand-over (met).
        long i1 = db.incident(
                "I1", null, THREAT, moscow1, null, petrov, "2026-11-10T06:00:00Z", "2026-11-10T08:00:00Z", "EMAIL");
        db.status(i1, "Передано подрядчику", "2026-11-10T06:30:00Z");
        db.status(i1, "Уведомили о закрытии", "2026-11-10T07:30:00Z");
        // 2. Threat, finished in 360 min (breached); the contractor's finish is the closing at 12:00 (breached).
        long i2 = db.incident(
                "I2", null, THREAT, moscow1, null, ivanov, "2026-11-11T06:00:00Z", "2026-11-11T12:00:00Z", "EMAIL");
        db.status(i2, "Передано подрядчику", "2026-11-11T06:30:00Z");
        db.status(i2, "Закрыт", "2026-11-11T12:00:00Z");
        // 3. Threat, open, deadline 11:00 still ahead; handed over, contractor's deadline 11:30 ahead: neither.
        long i3 = db.incident("I3", null, THREAT, tver, null, petrov, "2026-11-25T07:00:00Z", null, "EMAIL");
        db.status(i3, "Передано подрядчику", "2026-11-25T07:30:00Z");
        // 4. Threat, open since yesterday, past the deadline (breached), the contractor too (breached).
        long i4 = db.incident("I4", null, THREAT, tver, null, null, "2026-11-24T06:00:00Z", null, "EMAIL");
        db.status(i4, "Передано подрядчику", "2026-11-24T06:30:00Z");
        // 5. Fibre, finished at the deadline to the second, 1440 min (met).
        db.incident("I5", null, FIBRE, moscow2, null, ivanov, "2026-11-20T00:00:00Z", "2026-11-21T00:00:00Z", "EMAIL");
        // 6. Fibre, finished in 2880 min (breached).
        db.incident("I6", null, FIBRE, tver, null, petrov, "2026-11-01T00:00:00Z", "2026-11-03T00:00:00Z", "EMAIL");
        // 7. No type: no SLA; finished in 60 min; no pole, no dispatcher.
        db.incident("I7", null, null, null, null, null, "2026-11-15T00:00:00Z", "2026-11-15T01:00:00Z", "MANUAL");
        // 8. 00:00 on 1 November in Moscow: the period's first moment. Fibre, 60 min (met).
        db.incident("I8", null, FIBRE, tver, null, ivanov, "2026-10-31T21:00:00Z", "2026-10-31T22:00:00Z", "EMAIL");
        // 9. 23:59 on 31 October in Moscow: outside. Would be a breach.
        db.incident("I9", null, THREAT, tver, null, ivanov, "2026-10-31T20:59:00Z", null, "EMAIL");
    }

    // group | total | incidents | finished | open | met | breached | without_sla | median | p90 | handed over |
    // contractor met | contractor breached

    @Test
    void perTypeCountsMetBreachedOpenAndPercentilesOfTheFinished() throws Exception {
        assertThat(rows(NOVEMBER + "&group_by=type"))
                .containsExactly(
                        "Авария ВОЛС|false|3|3|0|2|1|0|1440.0|2592.0|0|0|0",
                        THREAT + "|false|4|2|2|1|2|0|240.0|336.0|4|1|2",
                        "null|false|1|1|0|0|0|1|60.0|60.0|0|0|0",
                        "null|true|8|6|2|3|3|1|240.0|2160.0|4|1|2");
        assertThat(rows(NOVEMBER)).as("type is the default").isEqualTo(rows(NOVEMBER + "&group_by=type"));
    }

    @Test
    void perRegionContractorAndDispatcher() throws Exception {
        assertThat(rows(NOVEMBER + "&group_by=region"))
                .containsExactly(
                        "Московская область|false|3|3|0|2|1|0|360.0|1224.0|2|1|1",
                        "Тверская область|false|4|2|2|1|2|0|1470.0|2598.0|2|0|1",
                        "null|false|1|1|0|0|0|1|60.0|60.0|0|0|0",
                        "null|true|8|6|2|3|3|1|240.0|2160.0|4|1|2");
        assertThat(rows(NOVEMBER + "&group_by=contractor"))
                .containsExactly(
                        "АВР-1|false|2|2|0|1|1|0|240.0|336.0|2|1|1",
                        "АВР-2|false|5|3|2|2|2|0|1440.0|2592.0|2|0|1",
                        "null|false|1|1|0|0|0|1|60.0|60.0|0|0|0",
                        "null|true|8|6|2|3|3|1|240.0|2160.0|4|1|2");
        assertThat(rows(NOVEMBER + "&group_by=dispatcher"))
                .containsExactly(
                        "ivanov|false|3|3|0|2|1|0|360.0|1224.0|1|0|1",
                        "petrov|false|3|2|1|1|1|0|1500.0|2604.0|2|1|0",
                        "null|false|2|1|1|0|1|1|60.0|60.0|1|0|1",
                        "null|true|8|6|2|3|3|1|240.0|2160.0|4|1|2");
    }

    @Test
    void anOpenIncidentBreachesOnceNowPassesItsDeadlineAndAChangeCountsAtOnce() throws Exception {
        clock.set(Instant.parse("2026-11-25T11:45:00Z")); // past I3's deadline (11:00) and its contractor's (11:30)
        assertThat(rows(NOVEMBER)).contains(THREAT + "|false|4|2|2|1|3|0|240.0|336.0|4|1|3");

        jdbc.update("update incident set finished_at = timestamptz '2026-11-25T10:00:00Z' where code = 'I3'");
        assertThat(rows(NOVEMBER))
                .as("finished at 10:00, before the deadline")
                .contains(THREAT + "|false|4|3|1|2|2|0|180.0|324.0|4|1|3");
    }

    @Test
    void csvHasTheFieldsAsHeaderOneLinePerGroupAndDefusedFormulas() throws Exception {
        jdbc.update("update pole set region_ru = '=HYPERLINK(\"http://x.test\")' where code = '60001-01'");
        HttpResponse<byte[]> response = http.send(
                request(NOVEMBER + "&group_by=region&format=csv&separator=semicolon", StandIns.API_TOKEN),
                HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(response.body(), StandardCharsets.UTF_8);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv;header=present;charset=UTF-8");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"sla-region-2026-11-01-2026-12-01.csv\"");
        assertThat(body).startsWith("\uFEFF").endsWith("\r\n");
        assertThat(body.substring(1).split("\r\n"))
                .containsExactly(
                        String.join(";", SlaRow.FIELD_NAMES),
                        "\"'=HYPERLINK(\"\"http://x.test\"\")\";false;4;2;2;1;2;0;1470.0;2598.0;2;0;1",
                        "Московская область;false;3;3;0;2;1;0;360.0;1224.0;2;1;1",
                        ";false;1;1;0;0;0;1;60.0;60.0;0;0;0",
                        ";true;8;6;2;3;3;1;240.0;2160.0;4;1;2");
        HttpResponse<String> byAccept = http.send(
                request(NOVEMBER, StandIns.API_TOKEN, "Accept", "text/csv"), HttpResponse.BodyHandlers.ofString());
        assertThat(byAccept.body()).startsWith("\uFEFF" + String.join(",", SlaRow.FIELD_NAMES) + "\r\n");
    }

    @Test
    void readTokensMayReadOthersMayNot() throws Exception {
        assertThat(get(NOVEMBER, null).statusCode()).isEqualTo(401);
        assertThat(get(NOVEMBER, "not-a-token-we-know").statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = get(NOVEMBER, METRICS_TOKEN);
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        assertThat(get(NOVEMBER, StandIns.API_TOKEN).statusCode()).isEqualTo(200);
        assertThat(get(NOVEMBER, StandIns.ADMIN_TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void hostileParametersAreA400ProblemNamingTheParameter() throws Exception {
        Map<String, String> expected = Map.of(
                "?from=2026-12-01&to=2026-11-01", "from",
                "?from=2026-11-31", "from",
                "?to=31.12.2026", "to",
                "?group_by=pole", "group_by",
                "?group_by=type&group_by=region", "group_by",
                "?from=2026-11-01&from=2026-11-01", "from",
                "?from=2000-01-01&to=2099-01-01", "to",
                "?to=99999-01-01", "to",
                "?groupby=region", "groupby",
                "?format=xml", "format");
        for (var e : expected.entrySet()) {
            HttpResponse<String> response = get("/api/v1/reports/sla" + e.getKey(), StandIns.API_TOKEN);
            assertThat(response.statusCode()).as(e.getKey()).isEqualTo(400);
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("parameter").asString()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(problem.get("type").asString()).isEqualTo("urn:dispatch:problem:bad-parameter");
        }
    }

    /** Random bytes, percent-encoded, as names and values: every answer is 200 JSON or a 400 problem. */
    @Test
    void generatedGarbageParametersAreNeverA5xx() throws Exception {
        Random random = new Random(21);
        String[] names = {"from", "to", "group_by", "format", "separator", "x"};
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            StringBuilder query = new StringBuilder("?");
            for (int p = random.nextInt(3); p >= 0; p--) {
                byte[] value = new byte[random.nextInt(12)];
                random.nextBytes(value);
                String text =
                        i % 2 == 0 ? new String(value, StandardCharsets.ISO_8859_1) : "2026-1" + random.nextInt(9);
                query.append(names[random.nextInt(names.length)])
                        .append('=')
                        .append(URLEncoder.encode(text, StandardCharsets.UTF_8))
                        .append('&');
            }
            HttpResponse<String> response = get("/api/v1/reports/sla" + query, StandIns.API_TOKEN);
            String type = response.headers().firstValue("Content-Type").orElse("");
            boolean ok = response.statusCode() == 200 && type.startsWith("application/json")
                    || response.statusCode() == 400 && type.startsWith("application/problem+json");
            if (!ok) failures.add(query + " -> " + response.statusCode() + " " + type);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void oneStatementForTheStatisticsWhateverTheNumberOfGroups() throws Exception {
        long few = statements(NOVEMBER + "&group_by=region");
        jdbc.execute("""
                insert into pole (site_id, code, region_ru) select 1000 + g, 'R' || g, 'Регион ' || g
                    from generate_series(1, 300) g;
                insert into incident (code, type_id, pole_id, incident_at, finished_at, registration_method)
                    select 'R-' || p.id, 1, p.id, timestamptz '2026-11-05', timestamptz '2026-11-06', 'EMAIL'
                    from pole p where p.code like 'R%';
                """);
        long many = statements(NOVEMBER + "&group_by=region");

        assertThat(JSON.readTree(
                        get(NOVEMBER + "&group_by=region", StandIns.API_TOKEN).body()))
                .hasSize(304);
        // the refresh of stale report rows every report read does first, and the statistics
        assertThat(few).isEqualTo(many).isLessThanOrEqualTo(2);
    }

    @Test
    void openApiDescribesTheParametersThePeriodAndTheFieldsInOrder() throws Exception {
        HttpResponse<String> docs = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v3/api-docs"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode api = JSON.readTree(docs.body());
        JsonNode operation = api.at("/paths/~1api~1v1~1reports~1sla/get");

        assertThat(operation.at("/parameters").findValuesAsString("name"))
                .containsExactlyInAnyOrder("from", "to", "group_by", "format", "separator");
        assertThat(operation.at("/description").asString()).contains("exclusive", "DISPATCH_TIMEZONE", "breached");
        assertThat(new ArrayList<>(
                        api.at("/components/schemas/SlaGroup/properties").propertyNames()))
                .isEqualTo(SlaRow.FIELD_NAMES);
    }

    private long statements(String path) throws Exception {
        long before = ReportsTestSupport.Counting.STATEMENTS.get();
        assertThat(get(path, StandIns.API_TOKEN).statusCode()).isEqualTo(200);
        return ReportsTestSupport.Counting.STATEMENTS.get() - before;
    }

    /** The rows as {@code field|field|...} in {@link SlaRow#FIELD_NAMES} order. */
    private List<String> rows(String path) throws Exception {
        HttpResponse<String> response = get(path, StandIns.API_TOKEN);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<String> rows = new ArrayList<>();
        for (JsonNode row : JSON.readTree(response.body())) {
            List<String> values = new ArrayList<>();
            for (String name : SlaRow.FIELD_NAMES)
                values.add(row.get(name).toString().replace("\"", ""));
            rows.add(String.join("|", values));
        }
        return rows;
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        return http.send(request(path, token), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String token, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) b.header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return b.build();
    }
}
