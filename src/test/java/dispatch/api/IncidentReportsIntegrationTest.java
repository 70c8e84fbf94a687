package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import dispatch.standin.StandIns;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The reports API end to end: golden JSON per incident shape, filters, the {@code last_month} window, paging, ETag,
 * CSV, tokens and the number of SQL statements per request.
 */
@DispatchIntegrationTest
@Import(ReportsTestSupport.class)
class IncidentReportsIntegrationTest {

    static final Instant NOW = Instant.parse("2026-11-25T09:00:00Z"); // 12:00 in Moscow
    static final ObjectMapper JSON = JsonMapper.builder().build();

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ReportsTestSupport.SettableClock clock;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();
    ReportFixtures db;
    final Map<String, Long> ids = new java.util.HashMap<>();

    @BeforeEach
    void shapes() {
        clock.set(NOW);
        db = new ReportFixtures(jdbc);
        db.clear();
        long avr = db.contractor("ООО АВР-Сервис", "b-avr@example.test", "a-avr@example.test");
        long pole = db.pole("50123-01", "Московская область", "д. Ивановка, ул. Полевая, 1", 55.7558, 37.6173, avr);
        long bs = db.baseStation(pole, "MSK-50123", "МТС", "ПАО МТС", "Билайн", null, "МегаФон", "ПАО МегаФон");
        long petrov = db.dispatcher("petrov");

        // From mail, pole and base station, handed over to the contractor, closed in time by both SLAs.
        long mail = db.incident(
                "INC-1001",
                "DISPATCH-1",
                "Авария по питанию РФ",
                pole,
                bs,
                petrov,
                "2026-11-20T07:00:00Z",
                "2026-11-20T15:30:00Z",
                "EMAIL");
        db.status(mail, "Новый", "2026-11-20T07:00:05Z");
        db.status(mail, "В работе", "2026-11-20T07:10:00Z");
        db.status(mail, "Передано подрядчику", "2026-11-20T08:00:00Z");
        db.status(mail, "Уведомили о закрытии", "2026-11-20T15:00:00Z");
        db.status(mail, "Закрыт", "2026-11-20T15:30:00Z");
        ids.put("mail-closed-in-time", mail);

        // Manual, no pole, no base station, open and in time.
        long manual =
                db.incident("INC-1002", null, "Авария ВОЛС", null, null, null, "2026-11-25T06:00:00Z", null, "MANUAL");
        db.status(manual, "Новый", "2026-11-25T06:00:00Z");
        ids.put("manual-no-pole", manual);

        // Pole without contractor or coordinates, base station without operators, no type, no history.
        long bare = db.pole("60001-02", null, null, null, null, null);
        long bareBs = db.baseStation(bare, "SPB-60001");
        ids.put(
                "pole-without-contractor-no-type",
                db.incident("INC-1003", null, null, bare, bareBs, null, "2026-11-24T21:00:00Z", null, "EMAIL"));

        // Handed over and closed late; generator power BEFORE the hand-over does not end the contractor's work.
        long pole2 = db.pole("50124-01", "Тверская область", "г. Тверь", 56.8587, 35.9176, avr);
        long late = db.incident(
                "INC-1004",
                "DISPATCH-4",
                "Угроза гибели / гибель объекта",
                pole2,
                null,
                petrov,
                "2026-11-24T06:00:00Z",
                "2026-11-24T12:00:00Z",
                "EMAIL");
        db.status(late, "Новый", "2026-11-24T06:00:00Z");
        db.status(late, "На генерации НБ", "2026-11-24T06:30:00Z");
        db.status(late, "Передано подрядчику", "2026-11-24T07:00:00Z");
        db.status(late, "Закрыт", "2026-11-24T12:00:00Z");
        ids.put("handed-over-closed-late", late);

        // Open, handed over, both deadlines passed by now.
        long overdue = db.incident(
                "INC-1005",
                null,
                "Авария по питанию для МСК",
                pole2,
                null,
                null,
                "2026-11-25T04:00:00Z",
                null,
                "EMAIL");
        db.status(overdue, "Новый", "2026-11-25T04:00:00Z");
        db.status(overdue, "Передано подрядчику", "2026-11-25T04:30:00Z");
        ids.put("handed-over-open-overdue", overdue);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mail-closed-in-time",
                "manual-no-pole",
                "pole-without-contractor-no-type",
                "handed-over-closed-late",
                "handed-over-open-overdue"
            })
    void everyIncidentShapeRendersAsItsGoldenJson(String shape) throws Exception {
        HttpResponse<String> response = get("/api/v1/incidents/" + ids.get(shape));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(golden(shape));
    }

    @Test
    void listIsNewestFirstWithTheSameObjectsAndTheOldSlashWorks() throws Exception {
        HttpResponse<String> response = get("/api/v1/incidents/");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(response.body());
        assertThat(codes(list)).containsExactly("INC-1002", "INC-1005", "INC-1003", "DISPATCH-4", "DISPATCH-1");
        assertThat(list.get(4).toString()).isEqualTo(golden("mail-closed-in-time"));
        assertThat(response.headers().firstValue("X-Total-Count")).hasValue("5");
        assertThat(get("/api/v1/incidents").body()).isEqualTo(response.body());
    }

    @Test
    void filtersSelectByDateFinishCodeAndUpdate() throws Exception {
        assertThat(codes("/api/v1/incidents?incident_date_after=2026-11-25&incident_date_before=2026-11-25"))
                .containsExactly("INC-1002", "INC-1005", "INC-1003"); // INC-1003 is 00:00 on the 25th in Moscow
        assertThat(codes("/api/v1/incidents?incident_date_before=2026-11-24"))
                .containsExactly("DISPATCH-4", "DISPATCH-1");
        assertThat(codes("/api/v1/incidents?is_incident_finish=true")).containsExactly("DISPATCH-4", "DISPATCH-1");
        assertThat(codes("/api/v1/incidents?is_incident_finish=FALSE"))
                .containsExactly("INC-1002", "INC-1005", "INC-1003");
        assertThat(codes("/api/v1/incidents?code=dispatch-4")).containsExactly("DISPATCH-4");
        assertThat(codes("/api/v1/incidents?code=INC-1004")).containsExactly("DISPATCH-4");
        jdbc.update("update incident set updated_at = '2026-11-01T00:00:00Z'");
        assertThat(codes("/api/v1/incidents?updated_since=2026-11-25T07:00:00%2B03:00"))
                .containsExactly("INC-1002", "INC-1005");
        assertThat(codes("/api/v1/incidents?updated_since=2026-11-25T07:00:00"))
                .containsExactly("INC-1002", "INC-1005");
    }

    @Test
    void lastMonthRunsFromTheFirstOfThePreviousMonthInMoscowUntilNow() throws Exception {
        db.clear();
        clock.set(Instant.parse("2026-11-30T21:30:00Z")); // 00:30 on 1 December in Moscow: the window is November
        db.incident("OUT-BEFORE", null, null, null, null, null, "2026-10-31T20:59:59Z", null, "EMAIL");
        db.incident("IN-FIRST", null, null, null, null, null, "2026-10-31T21:00:00Z", null, "EMAIL");
        db.incident("IN-NOW", null, null, null, null, null, "2026-11-30T21:30:00Z", null, "EMAIL");
        db.incident("OUT-FUTURE", null, null, null, null, null, "2026-11-30T21:30:01Z", null, "EMAIL");

        assertThat(codes("/api/v1/incidents?last_month=true")).containsExactly("IN-NOW", "IN-FIRST");
        assertThat(codes("/api/v1/incidents?last_month=false")).hasSize(4);
    }

    @Test
    void pagingKeepsTheTotalAndTheOrder() throws Exception {
        HttpResponse<String> page = get("/api/v1/incidents?limit=2&offset=1");

        assertThat(codes(JSON.readTree(page.body()))).containsExactly("INC-1005", "INC-1003");
        assertThat(page.headers().firstValue("X-Total-Count")).hasValue("5");
        HttpResponse<String> beyond = get("/api/v1/incidents?limit=2&offset=10");
        assertThat(beyond.body()).isEqualTo("[]");
        assertThat(beyond.headers().firstValue("X-Total-Count")).hasValue("5");
    }

    @Test
    void etagAnswers304UntilDataOrAnSlaStatusChanges() throws Exception {
        HttpResponse<String> first = get("/api/v1/incidents");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        assertThat(etag).startsWith("W/\"");
        HttpResponse<String> again = get("/api/v1/incidents", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();

        clock.set(NOW.plusSeconds(60)); // no SLA boundary crossed: same body, same tag
        assertThat(get("/api/v1/incidents").body()).isEqualTo(first.body());
        assertThat(get("/api/v1/incidents", "If-None-Match", etag).statusCode()).isEqualTo(304);

        // INC-1002's deadline is 2026-11-26T06:00Z: an hour before it, its status turns "less than an hour".
        clock.set(Instant.parse("2026-11-26T05:00:00Z"));
        HttpResponse<String> later = get("/api/v1/incidents", "If-None-Match", etag);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(later.body()).contains("🟨 Осталось менее часа");

        clock.set(NOW);
        db.status(ids.get("manual-no-pole"), "В работе", "2026-11-25T08:00:00Z");
        assertThat(get("/api/v1/incidents", "If-None-Match", etag).statusCode()).isEqualTo(200);
        String csvTag =
                get("/api/v1/incidents?format=csv").headers().firstValue("ETag").orElseThrow();
        assertThat(csvTag)
                .isNotEqualTo(
                        get("/api/v1/incidents").headers().firstValue("ETag").orElseThrow());
    }

    @Test
    void csvForExcelHasBomHeaderAndTheChosenSeparator() throws Exception {
        HttpResponse<byte[]> comma = getBytes("/api/v1/incidents?code=DISPATCH-1", "Accept", "text/csv");
        HttpResponse<byte[]> semicolon = getBytes("/api/v1/incidents?code=DISPATCH-1&format=csv&separator=%3B");

        assertThat(comma.headers().firstValue("Content-Type")).hasValue("text/csv;header=present;charset=UTF-8");
        byte[] body = semicolon.body();
        assertThat(body).startsWith(0xEF, 0xBB, 0xBF);
        String[] lines = new String(body, 3, body.length - 3, StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[0]).isEqualTo(String.join(";", ReportRow.FIELD_NAMES));
        assertThat(lines[1])
                .isEqualTo("1;DISPATCH-1;2026-11-20T10:00:00+03:00;Авария по питанию РФ;false;"
                        + "2026-11-21T11:00:00+03:00;true;2026-11-20T18:30:00+03:00;Закрыт;true;"
                        + "2026-11-20T11:00:00+03:00;MSK-50123;ПАО МТС, ПАО МегаФон;Билайн, МТС, МегаФон;50123-01;"
                        + "Московская область;д. Ивановка, ул. Полевая, 1;55.7558;37.6173;ООО АВР-Сервис;"
                        + "a-avr@example.test, b-avr@example.test;Автоматически из почты;37.6173;DISPATCH-1;INC-1001;"
                        + "2026-11-21T10:00:00+03:00;🟩 Закрыт вовремя;petrov");
        String commaLine = new String(comma.body(), StandardCharsets.UTF_8).split("\r\n")[1];
        assertThat(commaLine).contains(",\"ПАО МТС, ПАО МегаФон\",\"Билайн, МТС, МегаФон\",");
    }

    @Test
    void badParametersAnswerAProblemNamingTheParameter() throws Exception {
        Map<String, String> cases = Map.of(
                "last_month=yes", "last_month",
                "incident_date_after=01.11.2026", "incident_date_after",
                "incident_date_after=2026-11-02&incident_date_before=2026-11-01", "incident_date_after",
                "updated_since=yesterday", "updated_since",
                "is_incident_finish=1", "is_incident_finish",
                "limit=0", "limit",
                "offset=-1", "offset",
                "format=xml", "format",
                "format=csv&separator=tab", "separator");
        for (var c : cases.entrySet()) {
            HttpResponse<String> response = get("/api/v1/incidents?" + c.getKey());
            assertThat(response.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            JsonNode problem = JSON.readTree(response.body());
            assertThat(problem.get("parameter").asString()).as(c.getKey()).isEqualTo(c.getValue());
            assertThat(problem.get("title").asString()).isEqualTo("Bad request parameter");
            assertThat(problem.get("detail").asString()).startsWith(c.getValue());
        }
        assertThat(JSON.readTree(get("/api/v1/incidents?last_month=yes").body())
                        .get("detail")
                        .asString())
                .isEqualTo("last_month must be true or false");
        assertThat(get("/api/v1/incidents/abc").statusCode()).isEqualTo(400);
        HttpResponse<String> missing = get("/api/v1/incidents/999999");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void readNeedsANamedTokenAndOnlyGetIsAllowed() throws Exception {
        HttpResponse<String> none = http.send(
                HttpRequest.newBuilder(uri("/api/v1/incidents")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> wrong = get("/api/v1/incidents", "Authorization", "Bearer not-a-token");
        HttpResponse<String> admin = get("/api/v1/incidents", "Authorization", "Bearer " + StandIns.ADMIN_TOKEN);
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(uri("/api/v1/incidents"))
                        .header("Authorization", "Bearer " + StandIns.API_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).doesNotContain("INC-");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void openApiAndSwaggerUiArePublicAndDescribeTheFieldsInOrder() throws Exception {
        HttpResponse<String> docs =
                http.send(HttpRequest.newBuilder(uri("/v3/api-docs")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> ui = http.send(
                HttpRequest.newBuilder(uri("/swagger-ui/index.html")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(docs.statusCode()).isEqualTo(200);
        assertThat(ui.statusCode()).isEqualTo(200);
        JsonNode api = JSON.readTree(docs.body());
        assertThat(api.at("/paths/~1api~1v1~1incidents/get/parameters").toString())
                .contains("last_month", "incident_date_after", "updated_since", "limit", "format");
        List<String> documented = new ArrayList<>(
                api.at("/components/schemas/Incident/properties").propertyNames());
        assertThat(documented).isEqualTo(ReportRow.FIELD_NAMES);
        assertThat(api.at("/components/securitySchemes/bearer/scheme").asString())
                .isEqualTo("bearer");
        assertThat(api.at("/security/0/bearer").isArray())
                .as("bearer auth applies to every operation")
                .isTrue();
    }

    @Test
    void sqlStatementsPerRequestDoNotGrowWithTheResult() throws Exception {
        db.clear();
        db.incident("INC-1", null, "Авария ВОЛС", null, null, null, "2026-11-20T07:00:00Z", null, "EMAIL");
        long one = statements("/api/v1/incidents");
        jdbc.execute("""
                insert into contractor (name) values ('АВР');
                insert into contractor_email (contractor_id, email) select id, 'avr@example.test' from contractor;
                insert into pole (site_id, code, contractor_id, latitude, longitude)
                    select g, 'P' || g, (select id from contractor), 55, 37 from generate_series(1, 100) g;
                insert into base_station (pole_id, name) select id, 'BS' || id from pole;
                insert into operator (name, group_name) values ('МТС', 'ПАО МТС'), ('Билайн', null);
                insert into base_station_operator select b.id, o.id from base_station b, operator o;
                insert into incident (code, type_id, pole_id, base_station_id, incident_at, registration_method)
                    select 'B-' || g, (select id from incident_type where name = 'Авария ВОЛС'), 1 + g % 100,
                           1 + g % 100, timestamptz '2026-11-01' + g * interval '1 minute', 'EMAIL'
                    from generate_series(1, 4999) g;
                insert into incident_status_history (incident_id, status_id, at)
                    select i.id, s.id, i.incident_at + interval '1 hour' from incident i, incident_status s
                    where s.name in ('Новый', 'Передано подрядчику');
                """);
        long many = statements("/api/v1/incidents");
        long manyCsv = statements("/api/v1/incidents?format=csv&limit=10");

        assertThat(JSON.readTree(get("/api/v1/incidents").body())).hasSize(5000);
        assertThat(one).isLessThanOrEqualTo(3).isEqualTo(many).isEqualTo(manyCsv);
    }

    private long statements(String path) throws Exception {
        long before = ReportsTestSupport.Counting.STATEMENTS.get();
        assertThat(get(path).statusCode()).isEqualTo(200);
        return ReportsTestSupport.Counting.STATEMENTS.get() - before;
    }

    private List<String> codes(String path) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return codes(JSON.readTree(response.body()));
    }

    private static List<String> codes(JsonNode list) {
        List<String> codes = new ArrayList<>();
        list.forEach(n -> codes.add(n.get("code").asString()));
        return codes;
    }

    private static String golden(String shape) throws IOException {
        return JSON.readTree(Files.readString(Path.of("src/test/resources/reports/" + shape + ".json")))
                .toString();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        return http.send(request(path, headers), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(String path, String... headers) throws Exception {
        return http.send(request(path, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path));
        boolean auth = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            auth |= headers[i].equals("Authorization");
        }
        if (!auth) b.header("Authorization", "Bearer " + StandIns.API_TOKEN);
        return b.build();
    }
}
