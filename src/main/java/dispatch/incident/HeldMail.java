package dispatch.incident;

import dispatch.mail.MailProperties;
import dispatch.mail.Mails;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Flood protection (decision 0012): a sender address (or domain) that opened {@link FloodProperties#perAddress()}
 * ({@code perDomain()}) incidents within the window has its further new-incident mail held, stored but not threaded,
 * until an admin releases it or the window has passed; then it threads like any mail, in its original order. Only
 * mail that would open a new incident is ever held: replies and codes in the subject never reach this check. Robot
 * senders and the allow-list are never held, and their mail does not count towards their domain's limit.
 */
@Component
class HeldMail {

    enum Scope {
        ADDRESS,
        DOMAIN
    }

    /** A held mail as admins see it. {@code sender}: the address or {@code @domain} that went over its limit. */
    record Held(
            long mailId,
            String messageId,
            @Nullable String from,
            @Nullable String subject,
            String sender,
            Scope scope,
            Instant heldAt,
            Instant releaseAfter) {}

    static final int LIST_LIMIT = 1000;

    private final JdbcClient jdbc;
    private final Mails mails;
    private final FloodProperties settings;
    private final List<String> exempt;
    private final ApplicationEventPublisher events;
    private final MeterRegistry meters;
    private final Clock clock;

    HeldMail(
            JdbcClient jdbc,
            Mails mails,
            FloodProperties settings,
            MailProperties mailSettings,
            ApplicationEventPublisher events,
            MeterRegistry meters,
            Clock clock) {
        this.jdbc = jdbc;
        this.mails = mails;
        this.settings = settings;
        this.exempt = Stream.concat(mailSettings.robotSenders().stream(), settings.allowList().stream())
                .map(s -> s.strip().toLowerCase(Locale.ROOT))
                .filter(s -> !s.isEmpty())
                .toList();
        this.events = events;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Holds a mail that would open a new incident when its sender is over a limit, or already has mail waiting (so
     * later mail does not overtake it). Call under the threading lock. True when the mail was held.
     */
    boolean holds(StoredMail mail) {
        if (!settings.enabled() || mail.fromAddress() == null) return false;
        String address = mail.fromAddress().strip().toLowerCase(Locale.ROOT);
        if (exempt(address) || releasedBefore(mail.id())) return false;
        String domain = domainOf(address);
        Instant now = clock.instant();
        Instant since = now.minus(settings.window());
        String waiting = waitingSender(address, domain);
        if (waiting != null) {
            hold(mail, waiting, waiting.startsWith("@") ? Scope.DOMAIN : Scope.ADDRESS, now);
            return true;
        }
        long byAddress = opened("lower(m.from_address) = :key", address, since);
        if (byAddress >= settings.perAddress()) {
            flooded(mail, address, Scope.ADDRESS, byAddress, now);
            return true;
        }
        long byDomain =
                domain.isEmpty() ? 0 : opened("lower(split_part(m.from_address, '@', 2)) = :key", domain, since);
        if (byDomain >= settings.perDomain()) {
            flooded(mail, "@" + domain, Scope.DOMAIN, byDomain, now);
            return true;
        }
        return false;
    }

    /** Mail waiting, oldest first (at most {@value #LIST_LIMIT}). */
    List<Held> waiting() {
        return jdbc.sql("""
                        select h.email_message_id, m.message_id, m.from_address, m.subject, h.sender, h.scope,
                               h.held_at, h.release_after
                        from mail_hold h join email_message m on m.id = h.email_message_id
                        where h.released_at is null and m.match_method = 'HELD'
                        order by m.sent_at, m.id limit :limit
                        """)
                .param("limit", LIST_LIMIT)
                .query((rs, n) -> new Held(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        Scope.valueOf(rs.getString(6)),
                        rs.getTimestamp(7).toInstant(),
                        rs.getTimestamp(8).toInstant()))
                .list();
    }

    /**
     * Puts the waiting mail of this sender (an address or {@code @domain}; null: every sender) back into the
     * threading queue. Returns how many mails were released.
     */
    @Transactional
    int release(@Nullable String sender, String who) {
        String key = sender == null || sender.isBlank() ? null : sender.strip().toLowerCase(Locale.ROOT);
        int released = release("(cast(:sender as text) is null or h.sender = :sender)", key, who);
        meters.counter("dispatch.incident.flood.released", "by", "admin").increment(released);
        return released;
    }

    /** Releases the mail whose window has passed. Returns how many mails were released. */
    @Transactional
    public int releaseDue() {
        int released = release("h.release_after <= :now and cast(:sender as text) is null", null, "window passed");
        meters.counter("dispatch.incident.flood.released", "by", "window").increment(released);
        return released;
    }

    private int release(String condition, @Nullable String sender, String who) {
        List<Long> released = jdbc.sql("""
                        update mail_hold h set released_at = :now, released_by = :who
                        where h.released_at is null and %s
                        returning h.email_message_id
                        """.formatted(condition))
                .param("now", Timestamp.from(clock.instant()))
                .param("who", who)
                .param("sender", sender)
                .query(Long.class)
                .list();
        return mails.requeue(released, EnumSet.of(MatchMethod.HELD));
    }

    private void flooded(StoredMail mail, String sender, Scope scope, long opened, Instant now) {
        hold(mail, sender, scope, now);
        events.publishEvent(new SenderFlooded(sender, opened, settings.window()));
    }

    private void hold(StoredMail mail, String sender, Scope scope, Instant now) {
        jdbc.sql("""
                        insert into mail_hold (email_message_id, sender, scope, held_at, release_after)
                        values (:mail, :sender, :scope, :now, :until) on conflict (email_message_id) do nothing
                        """)
                .param("mail", mail.id())
                .param("sender", sender)
                .param("scope", scope.name())
                .param("now", Timestamp.from(now))
                .param("until", Timestamp.from(now.plus(settings.window())))
                .update();
        mails.link(mail.id(), null, MatchMethod.HELD, scope + " " + sender);
        meters.counter("dispatch.incident.flood.held", "scope", scope.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    /** New incidents opened since then by senders the condition selects; exempt senders do not count. */
    private long opened(String condition, String key, Instant since) {
        return jdbc.sql("select count(*) from email_message m where m.match_method = 'NEW_INCIDENT'"
                        + " and m.stored_at > :since and " + condition
                        + " and lower(m.from_address) <> all(cast(:exempt as text[]))")
                .param("since", Timestamp.from(since))
                .param("key", key)
                .param("exempt", exempt.toArray(String[]::new))
                .query(Long.class)
                .single();
    }

    private @Nullable String waitingSender(String address, String domain) {
        return jdbc.sql("select sender from mail_hold where released_at is null and sender in (:address, :domain)"
                        + " order by held_at limit 1")
                .param("address", address)
                .param("domain", "@" + domain)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    private boolean releasedBefore(long mailId) {
        return jdbc.sql("select exists (select 1 from mail_hold where email_message_id = :id"
                        + " and released_at is not null)")
                .param("id", mailId)
                .query(Boolean.class)
                .single();
    }

    private boolean exempt(String address) {
        return exempt.stream().anyMatch(e -> e.startsWith("@") ? address.endsWith(e) : address.equals(e));
    }

    /** As PostgreSQL's {@code split_part(address, '@', 2)}, which the counting index uses. */
    private static String domainOf(String address) {
        String[] parts = address.split("@", -1);
        return parts.length > 1 ? parts[1] : "";
    }
}
