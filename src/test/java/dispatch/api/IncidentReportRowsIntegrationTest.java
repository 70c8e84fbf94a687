package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dispatch.standin.DispatchIntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The row per incident kept for the reports (migrations V7, V8) always equals, once stale rows are refreshed as every
 * read does, what a full recomputation from the source tables gives, whatever the other features (or an operator with
 * psql) write and however they interleave with a refresh; and it gets a new version exactly when something shown
 * changed.
 */
@DispatchIntegrationTest
@Import(ReportsTestSupport.class)
class IncidentReportRowsIntegrationTest {

    /**
     * The definition, written differently from the trigger's: history facts by window functions (last status by
     * (at, id), the first hand-over, the first finish after it, docs/domain.md, "Statuses"), lists by grouped aggregates.
     */
    static final String RECOMPUTED = """
            with history as (
                select y.incident_id,
                       (array_agg(y.name order by y.at desc, y.id desc))[1] as last_status,
                       min(y.at) filter (where y.name = 'Передано подрядчику') as handed_over_at,
                       min(y.at) filter (where y.name in ('Уведомили о закрытии', 'На генерации НБ', 'Закрыт')
                                           and y.after_hand_over) as vendor_finished_at
                from (select x.incident_id, x.at, x.id, s.name,
                             coalesce(bool_or(s.name = 'Передано подрядчику') over (partition by x.incident_id
                                 order by x.at, x.id rows between unbounded preceding and 1 preceding), false)
                                 as after_hand_over
                      from incident_status_history x join incident_status s on s.id = x.status_id) y
                group by y.incident_id),
            operators as (
                select bo.base_station_id,
                       string_agg(distinct o.group_name::text collate "C", ', ' order by o.group_name::text collate "C")
                           as operator_group,
                       string_agg(distinct o.name::text collate "C", ', ' order by o.name::text collate "C") as operators
                from base_station_operator bo join operator o on o.id = bo.operator_id
                group by bo.base_station_id),
            emails as (
                select contractor_id, string_agg(email::text collate "C", ', ' order by email::text collate "C") as emails
                from contractor_email group by contractor_id)
            select i.id, i.code, i.tracker_key, i.incident_at, i.finished_at, i.registration_method,
                   t.name as type_name, t.sla_minutes, h.last_status, h.handed_over_at, h.vendor_finished_at,
                   bs.name as base_station, ops.operator_group, ops.operators, p.code as pole, p.region_ru, p.address,
                   p.latitude, p.longitude, c.name as vendor, em.emails as vendor_emails, d.login as dispatcher
            from incident i
            left join incident_type t on t.id = i.type_id
            left join history h on h.incident_id = i.id
            left join base_station bs on bs.id = i.base_station_id
            left join operators ops on ops.base_station_id = i.base_station_id
            left join pole p on p.id = i.pole_id
            left join contractor c on c.id = p.contractor_id
            left join emails em on em.contractor_id = p.contractor_id
            left join dispatcher d on d.id = i.dispatcher_id
            order by i.id""";

    static final String KEPT = """
            select incident_id as id, code, tracker_key, incident_at, finished_at, registration_method, type_name,
                   sla_minutes, last_status, handed_over_at, vendor_finished_at, base_station, operator_group,
                   operators, pole, region_ru, address, latitude, longitude, vendor, vendor_emails, dispatcher
            from incident_report order by incident_id""";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    IncidentReports reports;

    ReportFixtures db;
    long contractor;
    long pole;
    long first;
    long second;
    long bs;

    @BeforeEach
    void incidents() {
        db = new ReportFixtures(jdbc);
        db.clear();
        contractor = db.contractor("АВР-Север", "b@avr.example", "a@avr.example");
        pole = db.pole("50123-01", "Москва", "ул. Ленина, 1", 55.7, 37.6, contractor);
        bs = db.baseStation(pole, "MSK-1", "МТС", "ПАО МТС", "Билайн", null, "МегаФон", "ПАО МегаФон");
        db.baseStation(pole, "MSK-2", "МТС", "ПАО МТС");
        long dispatcher = db.dispatcher("ivanov");
        first = db.incident(
                "INC-1",
                null,
                "Авария по питанию от сотрудника НБ",
                pole,
                bs,
                dispatcher,
                "2026-11-20T07:00:00Z",
                null,
                "EMAIL");
        second = db.incident("INC-2", null, null, pole, null, null, "2026-11-20T08:00:00Z", null, "EMAIL");
    }

    @Test
    void historyFactsFollowInsertsUpdatesAndDeletes() {
        db.status(first, "Новый", "2026-11-20T07:00:00Z");
        db.status(first, "На генерации НБ", "2026-11-20T07:30:00Z"); // before the hand-over: not the finish
        db.status(first, "Передано подрядчику", "2026-11-20T08:00:00Z");
        db.status(first, "Закрыт", "2026-11-20T12:00:00Z");
        jdbc.update("""
                insert into incident_status_history (incident_id, status_id, at)
                select i.id, s.id, timestamptz '2026-11-20T09:00:00Z' + s.id * interval '1 minute'
                from incident i, incident_status s where s.name in ('Новый', 'Передано подрядчику', 'Закрыт')""");
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "last_status")).isEqualTo("Закрыт");

        jdbc.update("update incident_status_history set at = at + interval '1 day'"
                + " where status_id = (select id from incident_status where name = 'Передано подрядчику')");
        assertKeptEqualsRecomputed();
        jdbc.update("update incident_status_history set incident_id = ? where incident_id = ?", second, first);
        assertKeptEqualsRecomputed();
        jdbc.update("delete from incident_status_history where status_id ="
                + " (select id from incident_status where name = 'Закрыт')");
        assertKeptEqualsRecomputed();
        try { // the statuses are shared by every test
            jdbc.update("update incident_status set name = 'Передано АВР' where name = 'Передано подрядчику'");
            assertKeptEqualsRecomputed();
        } finally {
            jdbc.update("update incident_status set name = 'Передано подрядчику' where name = 'Передано АВР'");
        }
        assertKeptEqualsRecomputed();
        jdbc.update("delete from incident where id = ?", second);
        assertKeptEqualsRecomputed();
        jdbc.execute("truncate incident_status_history");
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "last_status")).isNull();
    }

    @Test
    void operatorListsFollowLinksAndOperatorChanges() {
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "operators")).isEqualTo("Билайн, МТС, МегаФон"); // by code point
        jdbc.update("update operator set name = 'Т2', group_name = 'ПАО Т2' where name = 'Билайн'");
        assertKeptEqualsRecomputed();
        jdbc.update("update operator set group_name = null where name = 'МТС'");
        assertKeptEqualsRecomputed();
        jdbc.update(
                "delete from base_station_operator where base_station_id = ?"
                        + " and operator_id = (select id from operator where name = 'МегаФон')",
                bs);
        assertKeptEqualsRecomputed();
        jdbc.update("insert into base_station_operator select b.id, o.id from base_station b, operator o"
                + " on conflict do nothing");
        assertKeptEqualsRecomputed();
        jdbc.update("delete from operator where name = 'МТС'");
        assertKeptEqualsRecomputed();
        jdbc.update("delete from base_station_operator");
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "operators")).isNull();
    }

    @Test
    void referenceDataChangesReachEveryIncidentThatShowsThem() {
        jdbc.update("update pole set code = '50123-02', address = 'ул. Ленина, 3', latitude = 55.8 where id = ?", pole);
        assertKeptEqualsRecomputed();
        assertThat(shown(second, "pole")).isEqualTo("50123-02");
        jdbc.update("update contractor set name = 'АВР-Юг' where id = ?", contractor);
        assertKeptEqualsRecomputed();
        jdbc.update("insert into contractor_email (contractor_id, email) values (?, '0@avr.example')", contractor);
        jdbc.update("delete from contractor_email where email = 'b@avr.example'");
        assertKeptEqualsRecomputed();
        assertThat(shown(second, "vendor_emails")).isEqualTo("0@avr.example, a@avr.example");
        long other = db.contractor("АВР-Восток", "v@avr.example");
        jdbc.update("update pole set contractor_id = ? where id = ?", other, pole);
        assertKeptEqualsRecomputed();
        jdbc.update("update base_station set name = 'MSK-1A' where id = ?", bs);
        jdbc.update("update dispatcher set login = 'petrov'");
        assertKeptEqualsRecomputed();
        long type = jdbc.queryForObject( // the default types are shared by every test
                "insert into incident_type (name, sla_minutes) values ('Тип для отчёта', 60) returning id", Long.class);
        try {
            jdbc.update(
                    "update incident set tracker_key = 'DISPATCH-7', finished_at = now(), base_station_id = null,"
                            + " type_id = ? where id = ?",
                    type,
                    second);
            assertKeptEqualsRecomputed();
            jdbc.update(
                    "update incident_type set sla_minutes = 120, name = 'Тип для отчёта (ред.)' where id = ?", type);
            assertKeptEqualsRecomputed();
            assertThat(shown(second, "sla_minutes")).isEqualTo("120");
        } finally {
            jdbc.update("delete from incident_type where id = ?", type);
        }
        jdbc.update("delete from dispatcher");
        assertKeptEqualsRecomputed();
        assertThat(shown(second, "type_name")).isNull();
        jdbc.execute("truncate contractor_email");
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "dispatcher")).isNull();
        assertThat(shown(first, "vendor_emails")).isNull();
    }

    @Test
    void onlyAChangeOfSomethingShownGivesANewVersion() {
        Map<Long, Long> before = versions();
        // What the other features touch all day without changing the report:
        jdbc.update("update incident set new_message = true, updated_at = now(), version = version + 1");
        jdbc.update("update dispatcher set last_assigned_at = now()");
        jdbc.update("update pole set height = 42, updated_at = now()");
        jdbc.update("update base_station set updated_at = now()");
        jdbc.update("update contractor set updated_at = now()");
        jdbc.update(
                "insert into contractor_email (contractor_id, email) values (?, 'a@avr.example')"
                        + " on conflict do nothing",
                contractor);
        assertThat(versions()).isEqualTo(before);

        jdbc.update("update incident set finished_at = now() where id = ?", second);
        Map<Long, Long> after = versions();
        assertThat(after.get(first)).isEqualTo(before.get(first));
        assertThat(after.get(second)).isGreaterThan(before.get(second));
    }

    @Test
    void concurrentStatusesOfOneIncidentAreBothCounted() throws Exception {
        concurrently(
                a -> insertStatus(a, first, "Новый", "2026-11-20T10:00:00Z"),
                b -> insertStatus(b, first, "Передано подрядчику", "2026-11-20T09:00:00Z"));
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "last_status")).isEqualTo("Новый");
        assertThat(shown(first, "handed_over_at")).isNotNull();
    }

    @Test
    void aStatusAndAPoleRenamedAtOnceAreBothShown() throws Exception {
        concurrently(
                a -> update(a, "update pole set address = 'ул. Мира, 5' where id = " + pole),
                b -> insertStatus(b, first, "В работе", "2026-11-20T10:00:00Z"));
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "address")).isEqualTo("ул. Мира, 5");
        assertThat(shown(first, "last_status")).isEqualTo("В работе");
    }

    @Test
    void writersOnlyMarkRowsAndTheNextReadRefreshesThem() {
        reports.refreshStale();
        Map<Long, Long> before = currentVersions();
        jdbc.update("update pole set address = 'ул. Ленина, 9' where id = ?", pole);
        db.status(first, "В работе", "2026-11-20T10:00:00Z");
        assertThat(currentVersions()).isEqualTo(before); // the writers' transactions did not recompute anything
        assertThat(reports.refreshStale()).isEqualTo(2); // the pole's two incidents
        assertThat(shown(first, "address")).isEqualTo("ул. Ленина, 9");
        assertThat(shown(first, "last_status")).isEqualTo("В работе");
        assertThat(reports.refreshStale()).isZero();
    }

    @Test
    void aChangeCommittedWhileARefreshRunsIsNotLost() throws Exception {
        // The writer's mark meets the one already there: the refresh must not take that mark before it commits.
        refreshWaitingForAWriter(
                writer -> insertStatus(writer, first, "Передано подрядчику", "2026-11-20T09:00:00Z"), writer -> {});
        assertThat(jdbc.queryForObject(
                        "select handed_over_at is not null from incident_report where incident_id = ?",
                        Boolean.class,
                        first))
                .as("the refresh read the status committed while it waited")
                .isTrue();
        assertKeptEqualsRecomputed();
    }

    @Test
    void aRefreshAndAWriterHoldingTheIncidentDoNotDeadlock() throws Exception {
        // As threading does: lock the incident's row without changing anything shown, write more later. The refresh
        // must finish while the writer holds the row (it used to wait for it, while the writer waited for the mark).
        reports.refreshStale();
        jdbc.update("update incident set tracker_key = 'DISPATCH-1' where id = ?", first);
        int refreshed;
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            update(writer, "update incident set new_message = true where id = " + first);
            assertThat(catchThrowable(
                            () -> jdbc.queryForList("select id from incident where id = ? for update nowait", first)))
                    .as("the writer holds the incident's row")
                    .hasMessageContaining("could not obtain lock");
            refreshed = CompletableFuture.supplyAsync(reports::refreshStale).get(10, TimeUnit.SECONDS);
            insertStatus(writer, first, "В работе", "2026-11-20T10:00:00Z");
            writer.commit();
        }
        assertThat(refreshed).isEqualTo(1);
        assertKeptEqualsRecomputed();
        assertThat(shown(first, "last_status")).isEqualTo("В работе");
    }

    /**
     * With the first incident's row marked stale: a writer runs {@code before}, a refresh starts and waits for the
     * writer's lock on the mark (seen in {@code pg_stat_activity}), the writer runs {@code after} and commits. Returns
     * what the refresh counted.
     */
    private int refreshWaitingForAWriter(Write before, Write after) throws Exception {
        reports.refreshStale();
        jdbc.update("update incident set tracker_key = 'DISPATCH-1' where id = ?", first);
        try (Connection writer = dataSource.getConnection()) {
            writer.setAutoCommit(false);
            before.on(writer);
            CompletableFuture<Integer> refresh = CompletableFuture.supplyAsync(reports::refreshStale);
            awaitWaitingForALock("query like 'select incident_report_refresh_stale()%'", refresh);
            after.on(writer);
            writer.commit();
            return refresh.get(10, TimeUnit.SECONDS);
        }
    }

    interface Write {
        void on(Connection connection) throws Exception;
    }

    /** Two writers: the first writes, the second writes and commits while the first is still open. */
    private void concurrently(Write first, Write second) throws Exception {
        try (Connection a = dataSource.getConnection();
                Connection b = dataSource.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            long pidOfB = pid(b);
            first.on(a);
            // Both mark the same row: neither may wait forever for the other, or lose its mark.
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try {
                    second.on(b);
                    b.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitWaitingForALock("pid = " + pidOfB, other);
            a.commit();
            other.get(10, TimeUnit.SECONDS);
        }
    }

    private static long pid(Connection connection) throws Exception {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits until the session picked by {@code which} (a condition on {@code pg_stat_activity}) waits for a lock the
     * open transaction holds: the interleaving the test is about has happened. Fails if {@code work} finished first.
     */
    private void awaitWaitingForALock(String which, CompletableFuture<?> work) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jdbc.queryForObject(
                        "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and " + which, Long.class)
                == 0) {
            assertThat(work)
                    .as("finished without waiting for the open transaction")
                    .isNotDone();
            assertThat(System.nanoTime()).as("still not waiting for a lock").isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private static void insertStatus(Connection connection, long incident, String status, String at) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("insert into incident_status_history"
                + " (incident_id, status_id, at) select ?, id, ? from incident_status where name = ?")) {
            insert.setLong(1, incident);
            insert.setTimestamp(2, Timestamp.from(Instant.parse(at)));
            insert.setString(3, status);
            insert.executeUpdate();
        }
    }

    private static void update(Connection connection, String sql) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private Object shown(long incident, String column) {
        reports.refreshStale();
        return jdbc.queryForObject(
                "select " + column + "::text from incident_report where incident_id = ?", String.class, incident);
    }

    private Map<Long, Long> versions() {
        reports.refreshStale();
        return currentVersions();
    }

    /** The versions as they are, without refreshing stale rows first. */
    private Map<Long, Long> currentVersions() {
        Map<Long, Long> versions = new TreeMap<>();
        jdbc.query("select incident_id, version from incident_report", (ResultSet rs) -> {
            versions.put(rs.getLong(1), rs.getLong(2));
        });
        return versions;
    }

    private void assertKeptEqualsRecomputed() {
        reports.refreshStale();
        assertThat(jdbc.queryForList(KEPT)).isEqualTo(jdbc.queryForList(RECOMPUTED));
    }
}
