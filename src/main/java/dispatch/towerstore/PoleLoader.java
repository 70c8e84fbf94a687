package dispatch.towerstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The poles report. Keyed by {@code SiteId} (the pole code is not unique); the first row of a duplicated SiteId
 * wins. Poles missing from the report are marked removed, never deleted, so incidents keep their pole.
 */
final class PoleLoader implements ReportLoader {

    static final List<String> COLUMNS = List.of(
            "SiteId",
            "Шифр",
            "Имя БС",
            "Статус опоры",
            "Широта",
            "Долгота",
            "Высота опоры",
            "Регион",
            "Адрес",
            "Инфраструктурная компания",
            "Якорный оператор",
            "RegionRu");
    private static final int[] LIMITS = {
        Integer.MAX_VALUE,
        64,
        256,
        256,
        Integer.MAX_VALUE,
        Integer.MAX_VALUE,
        Integer.MAX_VALUE,
        256,
        1024,
        256,
        256,
        256
    };
    private static final String FIELDS = "site_id, code, bs_name, status, latitude, longitude, height, region,"
            + " region_ru, address, infrastructure_company, anchor_operator";

    @Override
    public String report() {
        return "poles";
    }

    @Override
    public Counts load(Path file, Connection connection, JdbcClient jdbc, Skips skips) {
        jdbc.sql("""
                        create temp table pole_stage (
                          row_no int, site_id bigint, code varchar(64), bs_name varchar(256), status varchar(256),
                          latitude double precision, longitude double precision, height double precision,
                          region varchar(256), region_ru varchar(256), address varchar(1024),
                          infrastructure_company varchar(256), anchor_operator varchar(256)) on commit drop""").update();
        jdbc.sql("insert into contractor (name) values (:placeholder) on conflict (name) do nothing")
                .param("placeholder", ContractorLoader.PLACEHOLDER)
                .update();
        try (CopyRows copy = CopyRows.into(connection, "pole_stage", "row_no, " + FIELDS)) {
            ReportReader.read(file, COLUMNS, row -> stage(row, copy, skips));
        }
        jdbc.sql("analyze pole_stage").update();
        jdbc.sql("""
                        delete from pole_stage s using pole_stage f
                        where s.site_id = f.site_id and s.row_no > f.row_no
                        returning s.row_no, s.site_id, f.row_no as first""")
                .query((rs, i) -> {
                    skips.row(
                            rs.getInt(1), "duplicate SiteId " + rs.getLong(2) + " (first in row " + rs.getInt(3) + ")");
                    return null;
                })
                .list();
        var upserted = jdbc.sql("""
                        with m as (
                          insert into pole as p (%1$s, contractor_id)
                          select %1$s, (select id from contractor where name = :placeholder) from pole_stage
                          on conflict (site_id) do update set
                            code = excluded.code, bs_name = excluded.bs_name, status = excluded.status,
                            latitude = excluded.latitude, longitude = excluded.longitude, height = excluded.height,
                            region = excluded.region, region_ru = excluded.region_ru, address = excluded.address,
                            infrastructure_company = excluded.infrastructure_company,
                            anchor_operator = excluded.anchor_operator, removed_at = null, updated_at = now()
                          where p.removed_at is not null
                             or (p.code, p.bs_name, p.status, p.latitude, p.longitude, p.height, p.region, p.region_ru,
                                 p.address, p.infrastructure_company, p.anchor_operator)
                                is distinct from
                                (excluded.code, excluded.bs_name, excluded.status, excluded.latitude,
                                 excluded.longitude, excluded.height, excluded.region, excluded.region_ru,
                                 excluded.address, excluded.infrastructure_company, excluded.anchor_operator)
                          returning (xmax = 0) as inserted)
                        select count(*) filter (where inserted), count(*) filter (where not inserted) from m""".formatted(FIELDS))
                .param("placeholder", ContractorLoader.PLACEHOLDER)
                .query((rs, i) -> new int[] {rs.getInt(1), rs.getInt(2)})
                .single();
        int removed = jdbc.sql("""
                        update pole p set removed_at = now(), updated_at = now()
                        where p.removed_at is null and not exists (select 1 from pole_stage s where s.site_id = p.site_id)""").update();
        return new Counts(upserted[0], upserted[1], removed);
    }

    private static void stage(ReportReader.Row row, CopyRows copy, Skips skips) {
        Long siteId = Cells.siteId(row.get(0));
        String reason = row.problem() != null
                ? row.problem()
                : siteId == null
                        ? "SiteId «" + row.get(0) + "» is not a positive whole number"
                        : row.get(1) == null ? "empty pole code (Шифр)" : ReportLoader.tooLong(row, COLUMNS, LIMITS);
        if (reason != null) {
            skips.row(row.number(), reason);
            return;
        }
        copy.row(
                row.number(),
                siteId,
                row.get(1),
                row.get(2),
                row.get(3),
                Cells.number(row.get(4), -90, 90),
                Cells.number(row.get(5), -180, 180),
                Cells.number(row.get(6), 0, 10_000),
                row.get(7),
                row.get(11),
                row.get(8),
                row.get(9),
                row.get(10));
    }
}
