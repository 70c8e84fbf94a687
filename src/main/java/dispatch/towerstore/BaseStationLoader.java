package dispatch.towerstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The base stations report: one row per (pole code, base station, operator). A base station belongs to a current
 * pole with that code (preferring the pole whose «Имя БС» is the station's name, then the lowest SiteId); rows of
 * unknown poles are skipped. Its operators become exactly those of its rows. Stations missing from the report are
 * marked removed (their operator links are kept as history), never deleted, so incidents keep their station.
 */
final class BaseStationLoader implements ReportLoader {

    static final List<String> COLUMNS = List.of("Шифр опоры", "Имя БС/Оборудование", "Оператор", "Группа операторов");
    private static final int[] LIMITS = {64, 256, 256, 256};

    @Override
    public String report() {
        return "base_stations";
    }

    @Override
    public Counts load(Path file, Connection connection, JdbcClient jdbc, Skips skips) {
        jdbc.sql("""
                        create temp table bs_stage (row_no int, code varchar(64), name varchar(256),
                          operator varchar(256), group_name varchar(256), pole_id bigint) on commit drop;
                        create temp table bs_touched (id bigint, inserted boolean) on commit drop""").update();
        try (CopyRows copy = CopyRows.into(connection, "bs_stage", "row_no, code, name, operator, group_name")) {
            ReportReader.read(file, COLUMNS, row -> stage(row, copy, skips));
        }
        jdbc.sql("analyze bs_stage").update();
        jdbc.sql("""
                        update bs_stage s set pole_id = r.pole_id
                        from (select distinct on (s2.row_no) s2.row_no, p.id as pole_id
                              from bs_stage s2 join pole p on p.code = s2.code and p.removed_at is null
                              order by s2.row_no, (p.bs_name = s2.name) desc nulls last, p.site_id) r
                        where r.row_no = s.row_no""").update();
        jdbc.sql("select row_no, code from bs_stage where pole_id is null order by row_no")
                .query((rs, i) -> {
                    skips.row(rs.getInt(1), "no current pole with code " + rs.getString(2));
                    return null;
                })
                .list();
        jdbc.sql("""
                        insert into operator (name, group_name)
                        select distinct operator, group_name from bs_stage where pole_id is not null and operator is not null
                        on conflict on constraint operator_name_group_unique do nothing""").update();
        jdbc.sql("""
                        with m as (
                          insert into base_station as b (pole_id, name)
                          select distinct pole_id, name from bs_stage where pole_id is not null
                          on conflict (pole_id, name) do update set removed_at = null, updated_at = now()
                          where b.removed_at is not null
                          returning b.id, (xmax = 0) as inserted)
                        insert into bs_touched select id, inserted from m""").update();
        jdbc.sql("""
                        create temp table bs_present on commit drop as
                          select distinct b.id from bs_stage s join base_station b on b.pole_id = s.pole_id and b.name = s.name;
                        create temp table bs_links on commit drop as
                          select distinct b.id as base_station_id, o.id as operator_id
                          from bs_stage s
                          join base_station b on b.pole_id = s.pole_id and b.name = s.name
                          join operator o on o.name = s.operator and coalesce(o.group_name, '') = coalesce(s.group_name, '');
                        analyze bs_present;
                        analyze bs_links""").update();
        jdbc.sql("""
                        with gone as (
                          delete from base_station_operator l
                          where l.base_station_id in (select id from bs_present)
                            and not exists (select 1 from bs_links k
                                            where k.base_station_id = l.base_station_id and k.operator_id = l.operator_id)
                          returning l.base_station_id),
                        new as (
                          insert into base_station_operator (base_station_id, operator_id)
                          select base_station_id, operator_id from bs_links
                          on conflict do nothing
                          returning base_station_id)
                        insert into bs_touched select base_station_id, false from gone
                        union all select base_station_id, false from new""").update();
        int removed = jdbc.sql("""
                        update base_station b set removed_at = now(), updated_at = now()
                        where b.removed_at is null and not exists (select 1 from bs_present p where p.id = b.id)""").update();
        return jdbc.sql("""
                        select count(*) filter (where inserted), count(*) filter (where not inserted)
                        from (select id, bool_or(inserted) as inserted from bs_touched group by id) t""")
                .query((rs, i) -> new Counts(rs.getInt(1), rs.getInt(2), removed))
                .single();
    }

    private static void stage(ReportReader.Row row, CopyRows copy, Skips skips) {
        String reason = row.problem() != null
                ? row.problem()
                : row.get(0) == null
                        ? "empty pole code (Шифр опоры)"
                        : row.get(1) == null
                                ? "empty base station name (Имя БС/Оборудование)"
                                : ReportLoader.tooLong(row, COLUMNS, LIMITS);
        if (reason != null) {
            skips.row(row.number(), reason);
            return;
        }
        // An empty «Оператор» still records the station; an empty group is an operator without a group.
        copy.row(row.number(), row.get(0), row.get(1), row.get(2), row.get(2) == null ? null : row.get(3));
    }
}
