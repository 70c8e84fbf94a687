package dispatch.incident;

import dispatch.incident.IncidentStore.IncidentRef;
import dispatch.mail.MatchMethod;
import dispatch.mail.StoredMail;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The stored part of a mail's conversation, as threading sees it: each related mail with the incident it belongs to.
 * Threading owns a mail's link to its incident ({@code email_message.incident_id}, {@code match_method}), so it reads
 * the thread graph with the incidents in one statement rather than asking the mail feature and then the incidents.
 */
@Repository
class Conversations {

    /** A stored mail as another mail of its conversation sees it; {@code incident} null while it is unlinked. */
    record Relative(
            long id,
            String messageId,
            @Nullable IncidentRef incident,
            @Nullable MatchMethod matchMethod) {}

    /**
     * @param parents the stored mails the mail answers, by Message-ID
     * @param replies by the Message-ID they answer, oldest first
     */
    record Conversation(Map<String, Relative> parents, Map<String, List<Relative>> replies) {

        List<Relative> repliesTo(String messageId) {
            return replies.getOrDefault(messageId, List.of());
        }
    }

    private final JdbcClient jdbc;

    Conversations(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The stored mails among those this mail answers (its In-Reply-To and References), and the replies to the mail
     * itself and to each Message-ID it answers, with their incidents.
     */
    Conversation of(StoredMail mail) {
        Set<String> answered = new LinkedHashSet<>(mail.references());
        if (mail.inReplyTo() != null) answered.add(mail.inReplyTo());
        Set<String> asked = new LinkedHashSet<>(answered);
        asked.add(mail.messageId());
        Map<String, Relative> parents = new HashMap<>();
        Map<String, Map<Long, Relative>> replies = new HashMap<>();
        // Three index scans and no CTEs: cheap to plan, which costs more than running it at this size.
        jdbc.sql("""
                        select m.id, m.message_id, m.match_method, q.answers, %s
                        from (select id, null as answers from email_message
                              where message_id = any(cast(:answered as text[]))
                              union all
                              select id, in_reply_to from email_message where in_reply_to = any(cast(:asked as text[]))
                              union all
                              select email_message_id, referenced_message_id from email_reference
                              where referenced_message_id = any(cast(:asked as text[]))) q
                        join email_message m on m.id = q.id
                        left join incident i on i.id = m.incident_id
                        order by m.sent_at, m.id
                        """.formatted(IncidentStore.columns("i")))
                .param("answered", answered.toArray(String[]::new))
                .param("asked", asked.toArray(String[]::new))
                .query(rs -> {
                    IncidentRef incident = rs.getObject(5) == null ? null : IncidentStore.ref(rs, 5);
                    Relative relative =
                            new Relative(rs.getLong(1), rs.getString(2), incident, MatchMethod.of(rs.getString(3)));
                    String answers = rs.getString(4);
                    if (answers == null) {
                        parents.put(relative.messageId(), relative);
                    } else {
                        replies.computeIfAbsent(answers, k -> new LinkedHashMap<>())
                                .putIfAbsent(relative.id(), relative);
                    }
                });
        Map<String, List<Relative>> lists = new HashMap<>();
        replies.forEach((id, byId) -> lists.put(id, List.copyOf(byId.values())));
        return new Conversation(parents, lists);
    }
}
