package dispatch.legacy;

import dispatch.standin.EmbeddedDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * A database of the old service: its schema from {@code legacy/old-schema.sql} and a generated dataset with the
 * mess a live system collects (duplicate Tracker keys, types and statuses this service does not know, poles
 * TowerStore does not have, blank In-Reply-To, attachment paths that climb out of the media directory).
 */
final class OldServiceDatabase {

    static final int MAILS_PER_INCIDENT = 3;

    final String url;
    final JdbcTemplate jdbc;

    private OldServiceDatabase(String url) {
        this.url = url;
        this.jdbc = new JdbcTemplate(new DriverManagerDataSource(url, EmbeddedDatabase.USER, ""));
    }

    /** A new database with the old schema and no rows. */
    static OldServiceDatabase create() {
        OldServiceDatabase db = new OldServiceDatabase(EmbeddedDatabase.newDatabase());
        try {
            db.jdbc.execute(new ClassPathResource("legacy/old-schema.sql").getContentAsString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return db;
    }

    /**
     * {@code incidents} incidents (ids 1…n without multiples of 97), each with a history and its mails; poles and
     * base stations from {@code poles} (code, site id, base station name) plus one TowerStore does not know.
     */
    void fill(
            int incidents,
            int mailsPerIncident,
            List<Map<String, Object>> poles,
            List<String> typeNames,
            List<String> statusNames) {
        jdbc.update("insert into users_user (username, email, first_name, last_name, role, is_active) values"
                + " ('old-anna', 'a@x', 'Анна', 'Диспетчер', 'dispatch', true),"
                + " ('old-petrov', 'p@x', 'Пётр', '', 'dispatch', false),"
                + " ('o''brien', 'o@x', '', '', 'guest', true)");
        jdbc.update("insert into ts_avrcontractor (contractor_name) values ('АВР')");
        for (Map<String, Object> p : poles) {
            jdbc.update(
                    "insert into ts_pole (site_id, pole, bs_name, avr_contractor_id) values (?, ?, ?, 1)",
                    ((Number) p.get("site_id")).intValue(),
                    p.get("code"),
                    p.get("bs_name"));
            jdbc.update(
                    "insert into ts_basestation (bs_name, pole_id) values (?, (select max(id) from ts_pole))",
                    p.get("bs_name"));
        }
        jdbc.update(
                "insert into ts_pole (site_id, pole, bs_name, avr_contractor_id) values (999999, 'NOPE-01', 'NOBS', 1)");
        jdbc.update("insert into ts_basestation (bs_name, pole_id) values ('NOBS', (select max(id) from ts_pole))");
        for (String type : typeNames) {
            jdbc.update("insert into incidents_incidenttype (name, sla_deadline) values (?, 60)", type);
        }
        jdbc.update("insert into incidents_incidenttype (name) values ('Устаревший тип')");
        for (String status : statusNames) {
            jdbc.update("insert into incidents_incidentstatus (name) values (?)", status);
        }
        jdbc.update("insert into incidents_incidentstatus (name) values ('Архив')");
        jdbc.update("insert into emails_emailfolder (name) values ('INBOX'), ('SENT'), ('../Spam\u200b')");
        jdbc.update("""
                insert into incidents_incident (id, insert_date, update_date, incident_date, is_incident_finish,
                    incident_finish_date, pole_id, base_station_id, responsible_user_id, incident_type_id,
                    is_auto_incident, code)
                select g, t0, t0 + interval '3 hours', t0 - interval '5 minutes', g % 3 = 0,
                       case when g % 3 = 0 and g % 6 <> 0 then t0 + interval '2 hours' end,
                       case when g % 5 = 0 then null else 1 + g % (select count(*) from ts_pole) end,
                       case when g % 4 = 0 then 1 + g % (select count(*) from ts_basestation) end,
                       case when g % 4 = 3 then null else 1 + g % 3 end,
                       1 + g % (select count(*) from incidents_incidenttype),
                       g % 5 <> 1,
                       case when g % 10 = 0 then null when g = 2 then 'DISPATCH-1' else 'DISPATCH-' || g end
                  from generate_series(1, ?) g,
                       lateral (select timestamptz '2025-01-01 09:00+03' + g * interval '17 minutes' as t0) t
                 where g % 97 <> 0
                """, incidents);
        jdbc.update("""
                insert into incidents_incidentstatushistory (incident_id, status_id, insert_date, comments)
                select i.id, s.id, i.insert_date + (s.n * interval '1 hour'),
                       case when s.n = 1 then 'Диспетчер принял работы в YandexTracker' end
                  from incidents_incident i
                  join (select id, case name when 'Новый' then 0 when 'В работе' then 1 when 'Закрыт' then 2
                               when 'Архив' then 3 end as n from incidents_incidentstatus) s on s.n is not null
                 where s.n = 0 or (s.n = 1 and i.id % 2 = 0) or (s.n = 2 and i.is_incident_finish)
                    or (s.n = 3 and i.id % 50 = 5)
                """);
        jdbc.update("""
                insert into emails_emailmessage (id, email_msg_id, email_msg_reply_id, email_subject, email_from,
                    email_date, email_body, is_first_email, is_email_from_yandex_tracker, was_added_2_yandex_tracker,
                    email_incident_id, folder_id)
                select m, '<m' || m || '@old.example>',
                       case when k = 1 then (case when m % 2 = 0 then '' end) else '<m' || (m - 1) || '@old.example>' end,
                       case m % 4 when 0 then null when 1 then 'Авария 😀 на опоре' || E'\\r\\nBcc: x@evil'
                            else 'RE: DISPATCH-' || g end,
                       'sender' || (m % 17) || '@example.com',
                       timestamptz '2025-01-01 09:00+03' + g * interval '17 minutes' + k * interval '10 minutes',
                       repeat('текст ', 1 + m % 5) || '<script>alert(1)</script>',
                       k = 1, k = 3, true,
                       case when g % 97 = 0 or m % 101 = 0 then null else g end,
                       case when k = 2 then 2 when m % 53 = 0 then 3 else 1 end
                  from generate_series(1, ?) g, generate_series(1, ?) k,
                       lateral (select (g - 1) * ? + k as m) x
                """, incidents, mailsPerIncident, mailsPerIncident);
        jdbc.update(
                "insert into emails_emailto (email_to, email_msg_id) select 'dispatch@example.com', id from emails_emailmessage");
        jdbc.update(
                "insert into emails_emailto (email_to, email_msg_id) select 'second@example.com', id from emails_emailmessage");
        jdbc.update(
                "insert into emails_emailtocc (email_to, email_msg_id) select 'boss@example.com', id from emails_emailmessage");
        jdbc.update("""
                insert into emails_emailreference (email_msg_references, email_msg_id)
                select '<m' || r || '@old.example>', m.id from emails_emailmessage m,
                       generate_series(m.id - (m.id - 1) % ?, m.id - 1) r
                """, mailsPerIncident);
        jdbc.update("""
                insert into emails_emailattachment (file_url, email_msg_id)
                select 'emails_attachments/2025-01-01/акт ' || id || '.pdf', id from emails_emailmessage where id % 3 = 1
                """);
        jdbc.update("""
                insert into emails_emailintextattachment (file_url, email_msg_id)
                select 'emails_attachments/2025-01-01/image' || id || '.png', id from emails_emailmessage where id % 9 = 1
                """);
        jdbc.update("insert into emails_emailattachment (file_url, email_msg_id) values ('../../../../etc/passwd', 4)");
    }

    int count(String table) {
        return jdbc.queryForObject("select count(*) from " + table, Integer.class);
    }
}
