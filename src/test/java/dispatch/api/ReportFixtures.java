package dispatch.api;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.jdbc.core.JdbcTemplate;

/** Reference data and incidents written straight to the database, as the other features would leave them. */
final class ReportFixtures {

    private final JdbcTemplate jdbc;

    ReportFixtures(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    void clear() {
        jdbc.execute("truncate incident, base_station_operator, base_station, operator, pole, contractor, dispatcher"
                + " restart identity cascade");
    }

    long contractor(String name, String... emails) {
        long id = jdbc.queryForObject("insert into contractor (name) values (?) returning id", Long.class, name);
        for (String email : emails) {
            jdbc.update("insert into contractor_email (contractor_id, email) values (?, ?)", id, email);
        }
        return id;
    }

    long pole(String code, String regionRu, String address, Double latitude, Double longitude, Long contractor) {
        return jdbc.queryForObject(
                "insert into pole (site_id, code, region_ru, address, latitude, longitude, contractor_id)"
                        + " values ((select coalesce(max(site_id), 0) + 1 from pole), ?, ?, ?, ?, ?, ?) returning id",
                Long.class,
                code,
                regionRu,
                address,
                latitude,
                longitude,
                contractor);
    }

    /** A base station; operators as name/group pairs (group may be null). */
    long baseStation(long pole, String name, String... operatorNameGroupPairs) {
        long id = jdbc.queryForObject(
                "insert into base_station (pole_id, name) values (?, ?) returning id", Long.class, pole, name);
        for (int i = 0; i < operatorNameGroupPairs.length; i += 2) {
            long operator = jdbc.queryForObject(
                    "insert into operator (name, group_name) values (?, ?) on conflict (name, group_name)"
                            + " do update set name = excluded.name returning id",
                    Long.class,
                    operatorNameGroupPairs[i],
                    operatorNameGroupPairs[i + 1]);
            jdbc.update("insert into base_station_operator (base_station_id, operator_id) values (?, ?)", id, operator);
        }
        return id;
    }

    long dispatcher(String login) {
        return jdbc.queryForObject(
                "insert into dispatcher (login, display_name) values (?, ?) returning id",
                Long.class,
                login,
                "Диспетчер " + login);
    }

    /** An incident; type by name (null for none). */
    long incident(
            String code,
            String trackerKey,
            String type,
            Long pole,
            Long baseStation,
            Long dispatcher,
            String incidentAt,
            String finishedAt,
            String method) {
        return jdbc.queryForObject(
                "insert into incident (code, tracker_key, type_id, pole_id, base_station_id, dispatcher_id,"
                        + " incident_at, finished_at, registration_method)"
                        + " values (?, ?, (select id from incident_type where name = ?), ?, ?, ?, ?, ?, ?) returning id",
                Long.class,
                code,
                trackerKey,
                type,
                pole,
                baseStation,
                dispatcher,
                at(incidentAt),
                finishedAt == null ? null : at(finishedAt),
                method);
    }

    void status(long incident, String name, String at) {
        int rows = jdbc.update(
                "insert into incident_status_history (incident_id, status_id, at)"
                        + " select ?, id, ? from incident_status where name = ?",
                incident,
                at(at),
                name);
        if (rows != 1) throw new IllegalArgumentException("no status " + name);
    }

    private static Timestamp at(String instant) {
        return Timestamp.from(Instant.parse(instant));
    }
}
