package dispatch.legacy;

import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The old service's dispatchers (users with role {@code dispatch}) and every user an incident was assigned to, by
 * login (the old username, which had to equal the Tracker login). Only active dispatchers stay assignable; a login
 * already here is left as it is.
 */
final class LegacyDispatchers {

    private final JdbcTemplate source;
    private final JdbcTemplate target;
    private final ImportReport report;

    LegacyDispatchers(JdbcTemplate source, JdbcTemplate target, ImportReport report) {
        this.source = source;
        this.target = target;
        this.report = report;
    }

    void run() {
        List<Object[]> rows =
                source.query("""
                select u.username, nullif(trim(concat_ws(' ', u.first_name, u.last_name)), '') as display,
                       u.role = 'dispatch' and u.is_active as active
                  from users_user u
                 where u.role = 'dispatch'
                    or exists (select 1 from incidents_incident i where i.responsible_user_id = u.id)
                 order by u.id
                """, (rs, n) -> new Object[] {rs.getString(1), rs.getString(2), rs.getBoolean(3)});
        int[] added = target.batchUpdate("""
                insert into dispatcher (login, display_name, active) values (?, ?, ?)
                on conflict (login) do nothing
                """, rows);
        long n = 0;
        for (int a : added) n += a;
        report.count("dispatchers read", rows.size());
        report.count("dispatchers added", n);
    }
}
