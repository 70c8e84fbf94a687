package dispatch.autoreply;

import dispatch.incident.Incident;
import dispatch.incident.Incidents;
import dispatch.mail.Mails;
import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import dispatch.platform.DispatchProperties;
import dispatch.towerstore.TowerStore;
import dispatch.towerstore.TowerStore.Contractor;
import dispatch.towerstore.TowerStore.Pole;
import dispatch.tracker.StatusCommandIssued.Command;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The mail a status command sends (docs/domain.md, "Auto-replies"), made from the incident as it is now: who gets it, its subject and
 * its text; or, when it cannot be sent, the reason in the words the dispatcher reads in Tracker.
 */
@Component
class Drafts {

    static final String NO_REQUESTER = "Не найден адрес заявителя для автоответа: у заявки нет входящего письма.";
    static final String NO_LOCATION =
            "Чтобы передать заявку подрядчику, необходимо указать шифр опоры и/или номер базовой станции.";
    static final String NO_CONTRACTOR_EMAIL = "Не найден email подрядчика для автоответа.";

    /**
     * A mail ready to send, or the reason there is none ({@code error} set, the rest empty). {@code dropped}: the
     * addresses it is not sent to, with the reason (not an address, over the limit).
     */
    record Draft(
            String incidentCode,
            List<String> to,
            List<String> cc,
            String subject,
            String text,
            @Nullable String inReplyTo,
            List<String> dropped,
            @Nullable String error) {

        static Draft refused(String incidentCode, String error, List<String> dropped) {
            return new Draft(incidentCode, List.of(), List.of(), "", "", null, dropped, error);
        }
    }

    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm", Locale.ROOT);

    private final Incidents incidents;
    private final Mails mails;
    private final TowerStore towerStore;
    private final ZoneId zone;
    private final AutoReplyProperties settings;
    private final Templates templates;
    private final MeterRegistry meters;
    private final Clock clock;

    Drafts(
            Incidents incidents,
            Mails mails,
            TowerStore towerStore,
            DispatchProperties platform,
            AutoReplyProperties settings,
            Templates templates,
            MeterRegistry meters,
            Clock clock) {
        this.incidents = incidents;
        this.mails = mails;
        this.towerStore = towerStore;
        this.zone = platform.timeZone();
        this.settings = settings;
        this.templates = templates;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * @param ownAddress the dispatch mailbox: never a recipient of its own, always in copy (the copy is the record of
     *     what was sent, and it threads the replies that quote it)
     */
    Draft draft(long incidentId, Command command, String ownAddress) {
        Incident incident =
                incidents.byId(incidentId).orElseThrow(() -> new IllegalArgumentException("no incident " + incidentId));
        List<StoredMail> correspondence = mails.ofIncident(incidentId);
        String key = incident.trackerKey() != null ? incident.trackerKey() : incident.code();
        String subject = "Re: " + key + (incident.summary() != null ? ": " + incident.summary() : "");
        return switch (command) {
            case OPERATOR_IN_WORK, OPERATOR_CLOSED ->
                toRequester(incident, correspondence, command, subject, ownAddress);
            case CONTRACTOR_IN_WORK -> toContractor(incident, correspondence, subject, ownAddress);
        };
    }

    private Draft toRequester(
            Incident incident, List<StoredMail> correspondence, Command command, String subject, String own) {
        String key = incident.trackerKey() != null ? incident.trackerKey() : incident.code();
        StoredMail first = DraftRules.requesterMail(correspondence);
        if (first == null) return Draft.refused(incident.code(), NO_REQUESTER, List.of());
        Recipients recipients = mails.recipients(first.id());
        Optional<WebForm> form = WebForm.in(first.bodyText());
        List<String> requesters = DraftRules.requesters(first, recipients, form);
        List<String> copied = DraftRules.copied(recipients, form);
        Addresses addresses = addresses(own, concat(requesters, copied));
        requesters.forEach(addresses::to);
        if (addresses.to().isEmpty()) return refused(incident.code(), NO_REQUESTER, addresses);
        copied.forEach(addresses::cc);
        Duration autoClose = settings.autoCloseAfter();
        String text = templates.render(
                command,
                Map.of(
                        "key",
                        key,
                        "code",
                        incident.code(),
                        "summary",
                        orEmpty(incident.summary()),
                        "autoCloseAfter",
                        command == Command.OPERATOR_CLOSED && SendRecords.positive(autoClose)
                                ? Texts.duration(autoClose)
                                : ""));
        return draft(incident.code(), addresses, subject, text, first.messageId(), own);
    }

    private Draft toContractor(Incident incident, List<StoredMail> correspondence, String subject, String own) {
        Pole pole = pole(incident).orElse(null);
        if (pole == null) return Draft.refused(incident.code(), NO_LOCATION, List.of());
        // The placeholder contractor of a pole TowerStore names none for has the default contractor e-mails.
        List<String> emails =
                towerStore.contractorOf(pole.id()).map(Contractor::emails).orElse(List.of());
        Addresses addresses = addresses(own, emails);
        emails.forEach(addresses::to);
        if (addresses.to().isEmpty()) return refused(incident.code(), NO_CONTRACTOR_EMAIL, addresses);
        return draft(incident.code(), addresses, subject, contractorText(incident, pole, correspondence), null, own);
    }

    /** The pole the incident names, else the pole of its base station. */
    private Optional<Pole> pole(Incident incident) {
        if (incident.poleId() != null) return towerStore.pole(incident.poleId());
        if (incident.baseStationId() != null) return towerStore.poleOfBaseStation(incident.baseStationId());
        return Optional.empty();
    }

    /** Checks for these candidates: the mailbox's own addresses, the limit, and who bounced hard lately. */
    private Addresses addresses(String own, List<String> candidates) {
        Set<String> bounced = mails.hardBounced(
                candidates.stream().flatMap(a -> Addresses.valid(a).stream()).toList(),
                clock.instant().minus(settings.bounceSuppression()));
        return new Addresses(concat(settings.ownAddresses(), own), settings.maxRecipients(), bounced);
    }

    /** The mailbox itself is always in copy: the copy is the record of what was sent. */
    private Draft draft(
            String code, Addresses addresses, String subject, String text, @Nullable String inReplyTo, String own) {
        count(addresses);
        return new Draft(
                code, addresses.to(), concat(addresses.cc(), own), subject, text, inReplyTo, addresses.dropped(), null);
    }

    private Draft refused(String code, String error, Addresses addresses) {
        count(addresses);
        return Draft.refused(code, error, addresses.dropped());
    }

    private void count(Addresses addresses) {
        addresses
                .droppedFor()
                .forEach((reason, n) -> meters.counter("dispatch.autoreply.recipients.dropped", "reason", reason)
                        .increment(n));
    }

    /** The hand-over's variables: the correspondence oldest first and without automatic mail. */
    private String contractorText(Incident incident, Pole pole, List<StoredMail> correspondence) {
        Map<String, Object> values = new HashMap<>();
        values.put("key", incident.trackerKey() != null ? incident.trackerKey() : incident.code());
        values.put("code", incident.code());
        values.put("summary", orEmpty(incident.summary()));
        values.put("poleCode", pole.code());
        values.put("region", orEmpty(pole.regionRu() != null ? pole.regionRu() : pole.region()));
        values.put("address", orEmpty(pole.address()));
        values.put("coordinates", DraftRules.coordinates(pole.latitude(), pole.longitude()));
        values.put("baseStation", orEmpty(incident.baseStationName()));
        List<String> operators = incident.baseStationId() == null
                ? List.of()
                : towerStore.operatorsOf(incident.baseStationId()).stream()
                        .map(TowerStore.Operator::name)
                        .distinct()
                        .toList();
        values.put("operators", String.join(", ", operators));
        values.put("registeredAt", shown(incident.incidentAt()));
        values.put("slaDeadline", incident.slaDeadline().map(this::shown).orElse(""));
        values.put("typeName", orEmpty(incident.typeName()));
        values.put("typeDescription", orEmpty(incident.typeDescription()));
        List<Map<String, Object>> history = DraftRules.history(correspondence, this::shown);
        values.put("hasHistory", !history.isEmpty());
        values.put("history", history);
        return templates.render(Command.CONTRACTOR_IN_WORK, values);
    }

    private static String orEmpty(@Nullable String text) {
        return text == null ? "" : text;
    }

    private String shown(Instant at) {
        return SHOWN.format(at.atZone(zone));
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
