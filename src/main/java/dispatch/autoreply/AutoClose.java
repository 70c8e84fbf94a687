package dispatch.autoreply;

import dispatch.incident.IncidentStatus;
import dispatch.tracker.AutoCloseDue;
import java.util.List;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Auto-close: an incident whose latest history entry is the closure notice ("notified closed", recorded when Tracker
 * confirmed it) and that no mail from outside answered within {@code autoCloseAfter} is closed by Dispatch. A mail
 * from outside after the notice cancels it for good (it also sets "new message" in Tracker, as any such mail does);
 * a dispatcher who moves the issue on does too. One sweep at a time (scheduler lock), one close per notice (the
 * notice's history row is the outbox dedup key).
 */
@Component
class AutoClose {

    private static final Logger log = LoggerFactory.getLogger(AutoClose.class);

    private record Due(long incidentId, long noticeId) {}

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final AutoReplyProperties settings;

    AutoClose(
            JdbcClient jdbc,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            AutoReplyProperties settings) {
        this.jdbc = jdbc;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${dispatch.autoreply.auto-close-check:1m}", initialDelayString = "1m")
    @SchedulerLock(name = "autoreply-auto-close")
    public void sweep() {
        try {
            closeDue();
        } catch (RuntimeException e) {
            log.warn("Auto-close sweep failed; trying again in the next one", e);
        }
    }

    /** Asks Tracker to close every incident that is due; returns how many. */
    public int closeDue() {
        if (!SendRecords.positive(settings.autoCloseAfter())) return 0;
        List<Due> due = jdbc.sql("""
                        select i.id, h.id
                        from incident i
                        cross join lateral (
                            select h.id, h.at, s.name from incident_status_history h
                            join incident_status s on s.id = h.status_id
                            where h.incident_id = i.id order by h.at desc, h.id desc limit 1) h
                        where i.finished_at is null and i.tracker_key is not null
                          and h.name = :notified and h.at <= now() - cast(:after as interval)
                          and not exists (
                              select 1 from email_message m
                              where m.incident_id = i.id and m.direction = 'INBOUND' and m.origin = 'EXTERNAL'
                                and m.auto_kind = 'NONE' and m.stored_at > h.at)
                        order by i.id
                        """)
                .param("notified", IncidentStatus.NOTIFIED_CLOSED.text())
                .param("after", settings.autoCloseAfter().toMillis() + " milliseconds")
                .query((rs, n) -> new Due(rs.getLong(1), rs.getLong(2)))
                .list();
        String comment = "Заявка закрыта автоматически: за " + Texts.duration(settings.autoCloseAfter())
                + " после уведомления о закрытии от заявителя не было ответа.";
        for (Due d : due) {
            transaction.executeWithoutResult(
                    tx -> events.publishEvent(new AutoCloseDue(d.incidentId(), d.noticeId(), comment)));
        }
        if (!due.isEmpty()) log.info("Auto-close: {} incident(s) due", due.size());
        return due.size();
    }
}
