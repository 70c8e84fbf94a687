package dispatch.towerstore;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The contractors ("AVR") report: one row per (contractor, pole). A contractor's e-mails and phones are the union
 * over all its rows (the old import let the last row win); a contractor whose rows have no valid e-mail at all gets
 * the default contractor e-mails. It is excluded from the contract only if every one of its rows says so.
 * Contractors missing from the report are marked removed; every pole points to the contractor its code is listed
 * with, or to the placeholder {@value #PLACEHOLDER}.
 */
final class ContractorLoader implements ReportLoader {

    static final String PLACEHOLDER = "undefined";
    static final List<String> COLUMNS = List.of(
            "Подрядчик",
            "Исключен из договора",
            "Шифр опоры",
            "Контактные данные подрядчика Email",
            "Контактные данные подрядчика Телефон");
    private static final int[] LIMITS = {256, Integer.MAX_VALUE, 64};
    private static final Logger log = LoggerFactory.getLogger(ContractorLoader.class);

    private final List<String> defaultEmails;

    ContractorLoader(List<String> defaultEmails) {
        this.defaultEmails = defaultEmails.stream()
                .map(e -> Cells.email(e.strip()))
                .filter(e -> e != null)
                .distinct()
                .toList();
    }

    private static final class Contractor {
        boolean included;
        final Set<String> emails = new LinkedHashSet<>();
        final Set<String> phones = new LinkedHashSet<>();
    }

    @Override
    public String report() {
        return "contractors";
    }

    @Override
    public Counts load(Path file, Connection connection, JdbcClient jdbc, Skips skips) {
        jdbc.sql("create temp table contractor_stage (row_no int, code varchar(64), contractor varchar(256))"
                        + " on commit drop")
                .update();
        Map<String, Contractor> contractors = new LinkedHashMap<>();
        try (CopyRows copy = CopyRows.into(connection, "contractor_stage", "row_no, code, contractor")) {
            ReportReader.read(file, COLUMNS, row -> stage(row, copy, contractors, skips));
        }
        jdbc.sql("analyze contractor_stage").update();
        long placeholder = upsert(jdbc, PLACEHOLDER, false)[0];
        sync(jdbc, placeholder, "contractor_email", "email", defaultEmails);
        int added = 0;
        int updated = 0;
        for (Map.Entry<String, Contractor> e : contractors.entrySet()) {
            Contractor c = e.getValue();
            long[] result = upsert(jdbc, e.getKey(), !c.included);
            boolean changed = sync(
                            jdbc,
                            result[0],
                            "contractor_email",
                            "email",
                            List.copyOf(c.emails.isEmpty() ? defaultEmails : c.emails))
                    | sync(jdbc, result[0], "contractor_phone", "phone", List.copyOf(c.phones));
            if (result[1] == 1) {
                added++;
            } else if (result[1] == 2 || changed) {
                updated++;
            }
        }
        int removed = jdbc.sql("""
                        update contractor set removed_at = now(), updated_at = now()
                        where removed_at is null and name <> :placeholder and name <> all(:names)""")
                .param("placeholder", PLACEHOLDER)
                .param("names", contractors.keySet().toArray(String[]::new))
                .update();
        assignPoles(jdbc, placeholder);
        return new Counts(added, updated, removed);
    }

    private void stage(ReportReader.Row row, CopyRows copy, Map<String, Contractor> contractors, Skips skips) {
        Boolean excluded = Cells.excluded(row.get(1));
        String reason = row.problem() != null
                ? row.problem()
                : row.get(2) == null
                        ? "empty pole code (Шифр опоры)"
                        : excluded == null
                                ? "«Исключен из договора» is «" + row.get(1) + "», expected да or нет"
                                : ReportLoader.tooLong(row, COLUMNS, LIMITS);
        if (reason != null) {
            skips.row(row.number(), reason);
            return;
        }
        String name = row.get(0);
        copy.row(row.number(), row.get(2), name);
        if (name == null) {
            return; // the pole goes to the placeholder
        }
        Contractor c = contractors.computeIfAbsent(name, n -> new Contractor());
        c.included |= !excluded;
        c.emails.addAll(Cells.emails(row.get(3), bad -> skips.note(row.number(), "not an e-mail address: " + bad)));
        c.phones.addAll(Cells.phones(row.get(4), bad -> skips.note(row.number(), "not a phone number: " + bad)));
    }

    /** Returns {id, 1 if inserted / 2 if changed / 0 if unchanged}. */
    private static long[] upsert(JdbcClient jdbc, String name, boolean excluded) {
        return jdbc.sql("""
                        insert into contractor as c (name, excluded_from_contract) values (:name, :excluded)
                        on conflict (name) do update
                          set excluded_from_contract = excluded.excluded_from_contract, removed_at = null,
                              updated_at = now()
                          where c.removed_at is not null or c.excluded_from_contract <> excluded.excluded_from_contract
                        returning id, case when xmax = 0 then 1 else 2 end""")
                .param("name", name)
                .param("excluded", excluded)
                .query((rs, i) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .optional()
                .orElseGet(() -> new long[] {
                    jdbc.sql("select id from contractor where name = :name")
                            .param("name", name)
                            .query(Long.class)
                            .single(),
                    0
                });
    }

    /** Makes the contractor's e-mails (or phones) exactly {@code values}; true if anything changed. */
    private static boolean sync(JdbcClient jdbc, long contractorId, String table, String column, List<String> values) {
        String[] array = values.toArray(String[]::new);
        int deleted = jdbc.sql("delete from " + table + " where contractor_id = :id and " + column + " <> all(:values)")
                .param("id", contractorId)
                .param("values", array)
                .update();
        int inserted = jdbc.sql("insert into " + table + " (contractor_id, " + column + ")"
                        + " select :id, v from unnest(:values) v on conflict do nothing")
                .param("id", contractorId)
                .param("values", array)
                .update();
        return deleted + inserted > 0;
    }

    private static void assignPoles(JdbcClient jdbc, long placeholder) {
        jdbc.sql("""
                        delete from contractor_stage s using contractor_stage f
                        where s.code = f.code and s.row_no > f.row_no
                        returning s.row_no, s.code, s.contractor, f.contractor, f.row_no""")
                .query((rs, i) -> {
                    if (!java.util.Objects.equals(rs.getString(3), rs.getString(4))) {
                        log.warn(
                                "TowerStore contractors row {}: pole {} already listed with «{}» in row {}; kept that",
                                rs.getInt(1),
                                rs.getString(2),
                                rs.getString(4),
                                rs.getInt(5));
                    }
                    return null;
                })
                .list();
        int moved = jdbc.sql("""
                        update pole p set contractor_id = x.contractor_id, updated_at = now()
                        from (select p2.id, coalesce(c.id, :placeholder) as contractor_id
                              from pole p2
                              left join contractor_stage s on s.code = p2.code
                              left join contractor c on c.name = s.contractor) x
                        where x.id = p.id and p.contractor_id is distinct from x.contractor_id""").param("placeholder", placeholder).update();
        log.info("TowerStore contractors: {} poles changed contractor", moved);
    }
}
