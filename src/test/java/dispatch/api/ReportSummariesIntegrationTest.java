package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.DispatchIntegrationTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The per-incident history facts and per-base-station operator lists that triggers keep for the reports (migration
 * V6) always equal what a full recomputation from the source tables gives, whatever the other features write.
 */
@DispatchIntegrationTest
@Import(ReportsTestSupport.class)
class ReportSummariesIntegrationTest {

    /** The definition: last status by (at, id), the first hand-over, the first finish after it (reference §6.5). */
    static final String HISTORY_RECOMPUTED = """
            select y.incident_id,
                   (array_agg(y.status_id order by y.at desc, y.id desc))[1] as last_status_id,
                   min(y.at) filter (where y.name = 'Передано подрядчику') as handed_over_at,
                   min(y.at) filter (where y.name in ('Уведомили о закрытии', 'На генерации НБ', 'Закрыт')
                                       and y.after_hand_over) as vendor_finished_at
            from (select x.incident_id, x.at, x.id, x.status_id, s.name,
                         coalesce(bool_or(s.name = 'Передано подрядчику') over (partition by x.incident_id
                             order by x.at, x.id rows between unbounded preceding and 1 preceding), false)
                             as after_hand_over
                  from incident_status_history x join incident_status s on s.id = x.status_id) y
            group by y.incident_id order by 1""";

    static final String HISTORY_KEPT = """
            select incident_id, last_status_id, handed_over_at, vendor_finished_at
            from incident_report_history order by 1""";

    static final String OPERATORS_RECOMPUTED = """
            select bo.base_station_id,
                   string_agg(distinct o.group_name::text collate "C", ', ' order by o.group_name::text collate "C")
                       as operator_group,
                   string_agg(distinct o.name::text collate "C", ', ' order by o.name::text collate "C") as operators
            from base_station_operator bo join operator o on o.id = bo.operator_id
            group by bo.base_station_id order by 1""";

    static final String OPERATORS_KEPT =
            "select base_station_id, operator_group, operators from base_station_report_operators order by 1";

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    ReportFixtures db;
    long first;
    long second;
    long bs;

    @BeforeEach
    void incidents() {
        db = new ReportFixtures(jdbc);
        db.clear();
        long pole = db.pole("50123-01", null, null, null, null, null);
        bs = db.baseStation(pole, "MSK-1", "МТС", "ПАО МТС", "Билайн", null, "МегаФон", "ПАО МегаФон");
        db.baseStation(pole, "MSK-2", "МТС", "ПАО МТС");
        first = db.incident("INC-1", null, null, pole, bs, null, "2026-11-20T07:00:00Z", null, "EMAIL");
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

        jdbc.update("update incident_status_history set at = at + interval '1 day'"
                + " where status_id = (select id from incident_status where name = 'Передано подрядчику')");
        assertKeptEqualsRecomputed();
        jdbc.update("update incident_status_history set incident_id = ? where incident_id = ?", second, first);
        assertKeptEqualsRecomputed();
        jdbc.update("delete from incident_status_history where status_id ="
                + " (select id from incident_status where name = 'Закрыт')");
        assertKeptEqualsRecomputed();
        jdbc.update("delete from incident where id = ?", second);
        assertKeptEqualsRecomputed();
        jdbc.update("delete from incident_status_history");
        assertKeptEqualsRecomputed();
        assertThat(jdbc.queryForObject("select count(*) from incident_report_history", Long.class))
                .isZero();
    }

    @Test
    void operatorListsFollowLinksAndOperatorChanges() {
        assertKeptEqualsRecomputed();
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
    }

    @Test
    void concurrentStatusesOfOneIncidentAreBothCounted() throws Exception {
        try (Connection a = dataSource.getConnection();
                Connection b = dataSource.getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            insertStatus(a, first, "Новый", "2026-11-20T10:00:00Z");
            // The later writer has to see the earlier one's row, or it would store a summary without it.
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> {
                try {
                    insertStatus(b, first, "Передано подрядчику", "2026-11-20T09:00:00Z");
                    b.commit();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            a.commit();
            other.get(10, TimeUnit.SECONDS);
        }
        assertKeptEqualsRecomputed();
        assertThat(jdbc.queryForObject(
                        "select s.name from incident_report_history h join incident_status s on s.id = h.last_status_id",
                        String.class))
                .isEqualTo("Новый");
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

    private void assertKeptEqualsRecomputed() {
        assertThat(jdbc.queryForList(HISTORY_KEPT)).isEqualTo(jdbc.queryForList(HISTORY_RECOMPUTED));
        assertThat(jdbc.queryForList(OPERATORS_KEPT)).isEqualTo(jdbc.queryForList(OPERATORS_RECOMPUTED));
    }
}
