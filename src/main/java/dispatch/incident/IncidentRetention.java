package dispatch.incident;

import dispatch.mail.MailRetention;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Decides which mail retention may thin (decision 0030): the mail of incidents closed before a cutoff loses its raw
 * bytes and attachment files (the incident, its mail rows and the report stay), and mail parked before a cutoff goes.
 * The mail feature removes its own rows and files.
 */
@Service
public class IncidentRetention {

    private static final int PAGE = 500;

    private final JdbcClient jdbc;
    private final MailRetention mail;

    IncidentRetention(JdbcClient jdbc, MailRetention mail) {
        this.jdbc = jdbc;
        this.mail = mail;
    }

    /** Removes the raw messages and attachment files of incidents closed before {@code cutoff}. */
    public MailRetention.Removed removeMailFilesClosedBefore(Instant cutoff) {
        MailRetention.Removed removed = new MailRetention.Removed(0, 0, 0);
        long after = 0;
        for (List<Long> page; !(page = closedWithFiles(cutoff, after)).isEmpty(); after = page.get(page.size() - 1)) {
            removed = removed.plus(mail.removeFilesOf(page));
        }
        return removed;
    }

    /** Deletes mail parked (waiting for a person) since before {@code cutoff}; returns how many. */
    public long deleteParkedBefore(Instant cutoff) {
        long deleted = 0;
        long after = 0;
        for (List<Long> page; !(page = parked(cutoff, after)).isEmpty(); after = page.get(page.size() - 1)) {
            deleted += mail.deleteParked(page);
        }
        return deleted;
    }

    private List<Long> closedWithFiles(Instant cutoff, long after) {
        return jdbc.sql("""
                        select i.id from incident i
                         where i.id > :after and i.finished_at < :cutoff
                           and exists (select 1 from email_message m
                                        where m.incident_id = i.id and m.raw_removed_at is null)
                         order by i.id limit :limit
                        """)
                .param("after", after)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", PAGE)
                .query(Long.class)
                .list();
    }

    private List<Long> parked(Instant cutoff, long after) {
        return jdbc.sql("""
                        select email_message_id from threading_failure
                         where email_message_id > :after and state = 'PARKED' and failed_at < :cutoff
                         order by email_message_id limit :limit
                        """)
                .param("after", after)
                .param("cutoff", Timestamp.from(cutoff))
                .param("limit", PAGE)
                .query(Long.class)
                .list();
    }
}
