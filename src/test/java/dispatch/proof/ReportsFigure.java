package dispatch.proof;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reports API latency over a decade of a busy desk: {@code reportIncidents} incidents written straight into the
 * proof's database (set-based, one statement per table) with poles, base stations, operators, contractors and
 * status history, their report rows made by the database's own refresh as the app's writes make them; then
 * {@code GET /api/v1/incidents?last_month=true} asked {@code reportRequests} times, one after another.
 */
final class ReportsFigure {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final ZoneId ZONE = ZoneId.of("Europe/Moscow"); // the service's default zone

    static final String WITHOUT_ROW = """
            select count(*) from incident i
            where not exists (select 1 from incident_report r where r.incident_id = i.id)""";
    static final String WRONG = """
                select count(*) from incident i join incident_report r on r.incident_id = i.id
                left join pole p on p.id = i.pole_id left join contractor c on c.id = p.contractor_id
                where i.code like 'HIST-%'
                  and (r.pole is distinct from p.code or r.vendor is distinct from c.name
                       or r.last_status is null or r.vendor_emails is distinct from
                          (select string_agg(e.email::text collate "C", ', ' order by e.email::text collate "C")
                           from contractor_email e where e.contractor_id = p.contractor_id))""";

    private final Scenarios s;
    private final String name;

    ReportsFigure(Scenarios scenarios) {
        this.s = scenarios;
        this.name = "reports API, " + scenarios.profile.reportIncidents() + " incidents over ten years";
    }

    void run() throws Exception {
        long started = System.nanoTime();
        try (Connection c = s.world.db()) {
            seed(c, s.profile.reportIncidents());
        }
        s.lines.add(Scenarios.figure(
                name, "seeding and the report rows' refresh", (System.nanoTime() - started) / 1_000_000_000 + " s"));
        s.lines.add(check("incidents without a report row", 0, s.checks.count(WITHOUT_ROW)));
        s.lines.add(check("report rows that disagree with their pole, contractor, history", 0, s.checks.count(WRONG)));
        Instant from = LocalDate.now(ZONE)
                .withDayOfMonth(1)
                .minusMonths(1)
                .atStartOfDay(ZONE)
                .toInstant();
        long window = s.checks.count("select count(*) from incident where incident_at >= '" + from + "'");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + s.a.port() + "/api/v1/incidents?last_month=true"))
                .header("Authorization", "Bearer " + World.API_TOKEN)
                .timeout(Duration.ofMinutes(2))
                .build();
        List<Long> millis = new ArrayList<>();
        int rows = -1;
        for (int i = 0; i < s.profile.reportRequests(); i++) {
            long t = System.nanoTime();
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            millis.add((System.nanoTime() - t) / 1_000_000);
            Scenarios.require(r.statusCode() == 200, "the report answered " + r.statusCode());
            if (i == 0) rows = JSON.readTree(r.body()).size();
        }
        s.lines.add(check("rows in the answer = incidents since the 1st of last month", window, rows));
        Collections.sort(millis);
        s.lines.add(Scenarios.figure(
                name,
                "GET /api/v1/incidents?last_month=true p50 / p99 (" + millis.size() + " requests, " + rows + " rows)",
                FigureScenarios.percentile(millis, 50) + " ms / " + FigureScenarios.percentile(millis, 99) + " ms"));
        System.out.println("scenario done: " + name);
    }

    private ProofRun.Line check(String what, long expected, long actual) {
        return new ProofRun.Line(name, what, "" + expected, "" + actual, Scenarios.ok(expected == actual));
    }

    /** As ReportsBench seeds, beside what the proof's mail made: new poles, contractors, operators, dispatchers. */
    static void seed(Connection c, int incidents) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("""
                    insert into contractor (name) select 'История-АВР-' || g from generate_series(1, 200) g;
                    insert into contractor_email (contractor_id, email)
                        select c.id, 'hist' || c.id || '-' || k || '@example.test'
                        from contractor c, generate_series(1, 3) k where c.name like 'История-АВР-%';
                    insert into pole (site_id, code, region_ru, address, latitude, longitude, contractor_id)
                        select 900000 + g, 'H' || (10000 + g) || '-01', 'Регион ' || g % 80,
                               'г. Город, ул. Улица, ' || g, 50 + (g % 1000) / 100.0, 30 + (g % 2000) / 100.0,
                               (select min(id) from contractor where name like 'История-АВР-%') + g % 200
                        from generate_series(1, 10000) g;
                    insert into base_station (pole_id, name) select id, 'BS-' || id from pole where site_id > 900000;
                    insert into operator (name, group_name)
                        select 'История-' || g, 'Группа ' || g % 3 from generate_series(1, 5) g;
                    insert into base_station_operator (base_station_id, operator_id)
                        select b.id, o.id from base_station b join pole p on p.id = b.pole_id, operator o
                        where p.site_id > 900000 and o.name like 'История-%' and (b.id + o.id) % 3 <> 0;
                    insert into dispatcher (login) select 'history' || g from generate_series(1, 10) g;
                    """);
            // The incidents and their history in one transaction: the app's refresh (every few seconds) then takes
            // their stale marks once. Committed apart, the history's insert waited for the app's refresh of all the
            // incidents (that refresh holds their marks), and every row was refreshed twice: the full profile's
            // 500,000 did not finish within its hour (docs/benchmarks.md, "The proof, full profile").
            c.setAutoCommit(false);
            // Ten years back from now, evenly: about a month's worth fall in last_month's window.
            try (PreparedStatement insert = c.prepareStatement("""
                    with p as (select min(id) as first from pole where site_id > 900000),
                         b as (select min(b.id) as first from base_station b join pole p on p.id = b.pole_id
                               where p.site_id > 900000),
                         d as (select min(id) as first from dispatcher where login like 'history%'),
                         t as (select array_agg(id order by id) as ids from incident_type)
                    insert into incident (code, tracker_key, type_id, pole_id, base_station_id, dispatcher_id,
                        incident_at, finished_at, registration_method)
                    select 'HIST-' || g, 'HIST-' || g, t.ids[1 + g % cardinality(t.ids)],
                           case when g % 20 <> 0 then p.first + g % 10000 end,
                           case when g % 20 <> 0 and g % 3 <> 0 then b.first + g % 10000 end,
                           case when g % 8 <> 0 then d.first + g % 10 end,
                           now() - (g - 1) * (interval '3652 days' / ?),
                           case when g % 5 <> 0 then least(now(), now() - (g - 1) * (interval '3652 days' / ?)
                                                                  + (g % 48) * interval '1 hour') end,
                           case when g % 9 = 0 then 'MANUAL' else 'EMAIL' end
                    from generate_series(1, ?) g, p, b, d, t""")) {
                insert.setInt(1, incidents);
                insert.setInt(2, incidents);
                insert.setInt(3, incidents);
                insert.execute();
            }
            st.execute("""
                    insert into incident_status_history (incident_id, status_id, at)
                    select i.id, s.id, i.incident_at + st.after
                    from incident i
                    join (values ('Новый', interval '0 minutes', 0), ('В работе', interval '10 minutes', 0),
                                 ('Передано подрядчику', interval '30 minutes', 1),
                                 ('Уведомили о закрытии', interval '5 hours', 2),
                                 ('Закрыт', interval '6 hours', 2)) st(name, after, kind)
                      on st.kind = 0 or (st.kind = 1 and i.id % 5 < 3) or (st.kind = 2 and i.finished_at is not null)
                    join incident_status s on s.name = st.name
                    where i.code like 'HIST-%'
                    """);
            c.commit();
            c.setAutoCommit(true);
            // What the app's own refresh (every few seconds, and before each report read) would do.
            st.execute("select incident_report_refresh_stale()");
            st.execute("analyze");
        }
    }
}
