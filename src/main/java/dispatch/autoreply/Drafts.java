package dispatch.autoreply;

import dispatch.mail.Mails;
import dispatch.mail.Recipients;
import dispatch.platform.DispatchProperties;
import dispatch.sla.Sla;
import dispatch.tracker.StatusCommandIssued.Command;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The mail a status command sends (reference §7), made from the incident as it is now: who gets it, its subject and
 * its text; or, when it cannot be sent, the reason in the words the dispatcher reads in Tracker.
 */
@Component
class Drafts {

    static final String NO_REQUESTER = "Не найден адрес заявителя для автоответа: у заявки нет входящего письма.";
    static final String NO_LOCATION =
            "Чтобы передать заявку подрядчику, необходимо указать шифр опоры и/или номер базовой станции.";
    static final String NO_CONTRACTOR_EMAIL = "Не найден email подрядчика для автоответа.";
    static final int PREVIEW = 1024;

    /** A mail ready to send, or the reason there is none ({@code error} set, the rest empty). */
    record Draft(
            String incidentCode,
            List<String> to,
            List<String> cc,
            String subject,
            String text,
            @Nullable String inReplyTo,
            @Nullable String error) {

        static Draft refused(String incidentCode, String error) {
            return new Draft(incidentCode, List.of(), List.of(), "", "", null, error);
        }
    }

    private record Incident(
            String code,
            @Nullable String trackerKey,
            @Nullable String summary,
            Instant incidentAt,
            @Nullable String typeName,
            @Nullable String typeDescription,
            @Nullable Integer slaMinutes,
            @Nullable String poleCode,
            @Nullable String region,
            @Nullable String address,
            @Nullable Double latitude,
            @Nullable Double longitude,
            @Nullable Long contractorId,
            @Nullable String baseStation,
            @Nullable String operators) {}

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm", Locale.ROOT);

    private final JdbcClient jdbc;
    private final Mails mails;
    private final ZoneId zone;

    Drafts(JdbcClient jdbc, Mails mails, DispatchProperties platform) {
        this.jdbc = jdbc;
        this.mails = mails;
        this.zone = platform.timeZone();
    }

    /**
     * @param ownAddress the dispatch mailbox: never a recipient of its own, always in copy (the copy is the record of
     *     what was sent, and it threads the replies that quote it)
     */
    Draft draft(long incidentId, Command command, String ownAddress) {
        Incident incident = incident(incidentId);
        String key = incident.trackerKey() != null ? incident.trackerKey() : incident.code();
        String subject = "Re: " + key + (incident.summary() != null ? ": " + incident.summary() : "");
        return switch (command) {
            case OPERATOR_IN_WORK, OPERATOR_CLOSED -> toRequester(incidentId, incident, command, subject, ownAddress);
            case CONTRACTOR_IN_WORK -> toContractor(incidentId, incident, subject, ownAddress);
        };
    }

    private Draft toRequester(long incidentId, Incident incident, Command command, String subject, String own) {
        String key = incident.trackerKey() != null ? incident.trackerKey() : incident.code();
        // The mail that opened the incident, else its earliest mail from outside.
        Map<String, Object> first = jdbc.sql("""
                        select m.id, m.message_id, m.from_address, m.body_text from email_message m
                        where m.incident_id = :id and m.direction = 'INBOUND' and m.origin = 'EXTERNAL'
                          and m.auto_kind = 'NONE' and m.from_address is not null
                        order by m.match_method in ('NEW_INCIDENT', 'CONTINUES_CLOSED') desc, m.sent_at nulls last, m.id
                        limit 1
                        """).param("id", incidentId).query().listOfRows().stream()
                .findFirst()
                .orElse(null);
        if (first == null) return Draft.refused(incident.code(), NO_REQUESTER);
        Recipients recipients = mails.recipients((Long) first.get("id"));
        Optional<WebForm> form = WebForm.in((String) first.get("body_text"));
        // A web form's robot is not the requester: the form names them (and observers to copy).
        List<String> requesters = form.map(f -> List.of(f.requester()))
                .orElse(
                        recipients.replyTo().isEmpty()
                                ? List.of((String) first.get("from_address"))
                                : recipients.replyTo());
        List<String> to = new ArrayList<>();
        for (String address : requesters) add(to, address, List.of(own));
        if (to.isEmpty()) return Draft.refused(incident.code(), NO_REQUESTER);
        List<String> copied = concat(form.map(WebForm::observers).orElse(List.of()), recipients.to());
        List<String> cc = new ArrayList<>();
        for (String address : concat(copied, recipients.cc())) add(cc, address, concat(to, own));
        cc.add(own);
        String text = command == Command.OPERATOR_IN_WORK
                ? "Заявка \"" + key + "\" принята в работу."
                : "Заявка \"" + key + "\" закрыта.";
        return new Draft(incident.code(), to, cc, subject, text, (String) first.get("message_id"), null);
    }

    private Draft toContractor(long incidentId, Incident incident, String subject, String own) {
        if (incident.poleCode() == null) return Draft.refused(incident.code(), NO_LOCATION);
        List<String> to = new ArrayList<>();
        if (incident.contractorId() != null) {
            jdbc.sql("select email from contractor_email where contractor_id = :c order by email")
                    .param("c", incident.contractorId())
                    .query(String.class)
                    .list()
                    .forEach(address -> add(to, address, List.of(own)));
        }
        if (to.isEmpty()) return Draft.refused(incident.code(), NO_CONTRACTOR_EMAIL);
        return new Draft(incident.code(), to, List.of(own), subject, contractorText(incidentId, incident), null, null);
    }

    /** Reference §7.3, with the correspondence oldest first and without automatic mail. */
    private String contractorText(long incidentId, Incident incident) {
        List<String> parts = new ArrayList<>();
        parts.add("На вас назначен новый инцидент.");
        parts.add("ИНФОРМАЦИЯ ОБ ОПОРЕ:");
        parts.add("   • Шифр опоры: " + incident.poleCode());
        if (incident.region() != null) parts.add("   • Регион: " + incident.region());
        if (incident.address() != null) parts.add("   • Адрес: " + incident.address());
        if (incident.latitude() != null
                && incident.longitude() != null
                && !incident.latitude().isNaN()
                && !incident.longitude().isNaN()) {
            parts.add("   • Координаты: " + incident.latitude() + ", " + incident.longitude());
        }
        if (incident.baseStation() != null) {
            parts.add("\nИНФОРМАЦИЯ О БАЗОВОЙ СТАНЦИИ:");
            parts.add("   • Номер БС: " + incident.baseStation());
            if (incident.operators() != null) parts.add("   • Операторы: " + incident.operators());
        }
        parts.add("\nДЕТАЛИ ИНЦИДЕНТА:");
        parts.add("   • Дата регистрации: " + shown(incident.incidentAt()));
        Sla.deadline(incident.incidentAt(), incident.slaMinutes())
                .ifPresent(deadline -> parts.add("   • SLA дедлайн: " + shown(deadline)));
        if (incident.typeName() != null) {
            parts.add("   • Тип инцидента: " + incident.typeName());
            if (incident.typeDescription() != null) parts.add("   • Описание типа: " + incident.typeDescription());
        }
        List<Map<String, Object>> mails =
                jdbc.sql("""
                        select sent_at, body_text from email_message
                        where incident_id = :id and auto_kind = 'NONE' and btrim(coalesce(body_text, '')) <> ''
                        order by sent_at nulls last, id
                        """).param("id", incidentId).query().listOfRows();
        if (!mails.isEmpty()) {
            parts.add("\nИСТОРИЯ ПЕРЕПИСКИ:");
            parts.add("-".repeat(30));
            int n = 0;
            for (Map<String, Object> mail : mails) {
                String body = ((String) mail.get("body_text")).strip();
                String preview = body.length() > PREVIEW ? body.substring(0, PREVIEW) + " ..." : body;
                Timestamp sent = (Timestamp) mail.get("sent_at");
                parts.add("\n*Сообщение №" + ++n + " *(" + (sent == null ? "—" : shown(sent.toInstant())) + "):");
                parts.add(preview);
            }
        }
        parts.add("\n\nВАЖНО: НЕ МЕНЯЙТЕ ТЕМУ ПИСЬМА ПРИ ОТВЕТЕ");
        return String.join("\n", parts);
    }

    private Incident incident(long incidentId) {
        return jdbc.sql("""
                        select i.code, i.tracker_key, i.summary, i.incident_at, t.name, t.description, t.sla_minutes,
                               p.code, coalesce(p.region_ru, p.region), p.address, p.latitude, p.longitude,
                               p.contractor_id, b.name,
                               (select string_agg(o.name, ', ' order by o.name) from base_station_operator bo
                                join operator o on o.id = bo.operator_id where bo.base_station_id = b.id)
                        from incident i
                        left join incident_type t on t.id = i.type_id
                        left join base_station b on b.id = i.base_station_id
                        left join pole p on p.id = coalesce(i.pole_id, b.pole_id)
                        where i.id = :id
                        """)
                .param("id", incidentId)
                .query((rs, n) -> new Incident(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getTimestamp(4).toInstant(),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getObject(7, Integer.class),
                        rs.getString(8),
                        rs.getString(9),
                        rs.getString(10),
                        rs.getObject(11, Double.class),
                        rs.getObject(12, Double.class),
                        rs.getObject(13, Long.class),
                        rs.getString(14),
                        rs.getString(15)))
                .single();
    }

    private String shown(Instant at) {
        return SHOWN.format(at.atZone(zone));
    }

    /** Adds the address unless it is already there or excluded (case-insensitive). */
    private static void add(List<String> addresses, @Nullable String address, List<String> excluded) {
        if (address == null || address.isBlank()) return;
        String a = address.strip();
        if (addresses.stream().anyMatch(a::equalsIgnoreCase)) return;
        if (excluded.stream().anyMatch(a::equalsIgnoreCase)) return;
        addresses.add(a);
    }

    private static List<String> concat(List<String> list, String one) {
        return concat(list, List.of(one));
    }

    private static List<String> concat(List<String> list, List<String> more) {
        List<String> all = new ArrayList<>(list);
        all.addAll(more);
        return all;
    }
}
