package dispatch.status;

import static dispatch.standin.mail.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;

import dispatch.incident.Threading;
import dispatch.mail.MailIntake;
import dispatch.platform.OutboxWorker;
import dispatch.standin.StandIns;
import dispatch.towerstore.TowerStoreImport;
import java.time.Instant;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * Data in every section of the status page, hostile where a sender or another system writes it: a quarantined mail, a
 * parked mail, a failed delivery, the alerts they raise. The faults are removed again, as an admin's fix would, so
 * the page's buttons can then succeed.
 */
final class StatusFixtures {

    static final String HOSTILE_SUBJECT = "<script>alert('parked')</script> POISON опора 12345-01";
    static final String QUARANTINED_SUBJECT = "Нет питания QUARANTINE-ME";
    static final String FAILED_KIND = "status.test";

    private StatusFixtures() {}

    /**
     * Truncates the mail tables, then fills every section: a TowerStore import, a Tracker pull, and the alerts about
     * the quarantined and parked mail delivered to Telegram (the last good cycles), then two failed deliveries.
     * Background jobs are off in tests: the fixtures drive them by hand.
     */
    static void seed(ApplicationContext context) throws Exception {
        StandIns standIns = context.getBean(StandIns.class);
        MailIntake intake = context.getBean(MailIntake.class);
        Threading threading = context.getBean(Threading.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        standIns.mail().greenMail().purgeEmailFromAllMailboxes();
        jdbc.execute("truncate email_message, mail_folder, mail_quarantine, incident cascade");
        jdbc.update("delete from outbox where kind = ?", FAILED_KIND);
        jdbc.execute("""
                create or replace function status_reject() returns trigger as $$
                begin
                  if new.subject like '%QUARANTINE-ME%' then
                    raise exception '<script>alert(''quarantine'')</script> simulated storage failure';
                  end if;
                  return new;
                end $$ language plpgsql;
                create trigger status_reject before insert on email_message
                  for each row execute function status_reject();
                alter table incident add constraint status_refuses_poison check (summary not like '%POISON%');
                """);
        try {
            standIns.mail()
                    .append(
                            "INBOX",
                            mail("quarantined@op.example")
                                    .subject(QUARANTINED_SUBJECT)
                                    .bytes());
            standIns.mail()
                    .append(
                            "INBOX",
                            mail("poison@op.example")
                                    .from("\"<img src=x onerror=alert(1)>\" <evil@op.example>")
                                    .subject(HOSTILE_SUBJECT)
                                    .at(Instant.parse("2026-11-20T07:00:00Z"))
                                    .bytes());
            MailIntake.Report report = intake.pollOnce();
            assertThat(report.quarantined()).as("quarantined").isEqualTo(1);
            threading.threadPending();
        } finally {
            jdbc.execute("drop trigger if exists status_reject on email_message");
            jdbc.execute("alter table incident drop constraint if exists status_refuses_poison");
        }
        context.getBean(TowerStoreImport.class).importAll();
        ReflectionTestUtils.invokeMethod(context.getBean("trackerPull"), "pullOnce");
        context.getBean(OutboxWorker.class).drain();
        jdbc.update(
                "insert into outbox (kind, dedup_key, status, attempts, last_error) values (?, ?, 'FAILED', 8, ?)",
                FAILED_KIND,
                "status-" + System.nanoTime(),
                "<b>Tracker answered 500</b>");
        jdbc.update(
                "insert into outbox (kind, dedup_key, status, attempts, last_error) values (?, ?, 'FAILED', 8, ?)",
                FAILED_KIND,
                "status-" + System.nanoTime(),
                "SMTP 550 mailbox unavailable");
        assertThat(jdbc.queryForObject(
                        "select count(*) from email_message where match_method = 'PARKED'", Integer.class))
                .as("parked")
                .isEqualTo(1);
    }

    static long quarantinedId(JdbcTemplate jdbc) {
        return jdbc.queryForObject("select id from mail_quarantine where replayed_at is null", Long.class);
    }

    static boolean quarantinedMailStored(JdbcTemplate jdbc) {
        return jdbc.queryForObject(
                        "select count(*) from email_message where subject = ?", Integer.class, QUARANTINED_SUBJECT)
                == 1;
    }
}
