package dispatch.tracker;

import dispatch.incident.Incidents;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the queue must have for Dispatch to work (decision 0022, README "Yandex Tracker queue setup"): the queue, the
 * global fields with their types, the local incident-type field whose values equal the incident types, and the
 * configured statuses. {@link #check} lists what is missing; {@link #apply} creates what the API allows (global
 * fields, the local field and its values) and leaves the workflow to a person.
 */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.tracker.enabled", matchIfMissing = true)
class TrackerSetup {

    static final String TYPE_PREFIX = "ru.yandex.startrek.core.fields.";
    private static final String SYSTEM_CATEGORY = "000000000000000000000001";

    /** One thing missing or wrong; {@code creatable} when {@link #apply} can fix it through the API. */
    record Finding(String text, boolean creatable) {}

    private final TrackerClient client;
    private final TrackerProperties settings;
    private final Supplier<List<String>> typeNames;

    @Autowired
    TrackerSetup(TrackerClient client, TrackerProperties settings, Incidents incidents) {
        this(client, settings, incidents::typeNames);
    }

    /** @param typeNames the incident type names, the values the type field must have */
    TrackerSetup(TrackerClient client, TrackerProperties settings, Supplier<List<String>> typeNames) {
        this.client = client;
        this.settings = settings;
        this.typeNames = typeNames;
    }

    List<Finding> check() {
        List<Finding> findings = new ArrayList<>();
        try {
            client.queue();
        } catch (TrackerException e) {
            if (!e.notFound()) throw e;
            findings.add(new Finding("Queue " + settings.queue() + " does not exist (create it in Tracker)", false));
            return findings;
        }
        Map<String, String> types = new LinkedHashMap<>();
        client.globalFields()
                .forEach(f -> types.put(
                        f.path("id").asString(""), f.path("schema").path("type").asString("")));
        expectedGlobalFields().forEach((key, type) -> {
            String actual = types.get(key);
            if (actual == null) {
                findings.add(new Finding("Global field " + key + " (" + type + ") is missing", true));
            } else if (!actual.equalsIgnoreCase(type)) {
                findings.add(new Finding(
                        "Global field " + key + " has type " + actual + ", Dispatch needs " + type
                                + " (change it by hand, or point DISPATCH_TRACKER_FIELDS_* at another field)",
                        false));
            }
        });
        localTypeField(findings);
        Set<String> statuses = new LinkedHashSet<>();
        client.statuses().forEach(s -> statuses.add(s.path("key").asString("")));
        for (String status : configuredStatuses()) {
            if (!statuses.contains(status)) {
                findings.add(new Finding(
                        "Status " + status + " does not exist (add it to the queue's workflow by hand)", false));
            }
        }
        return findings;
    }

    /** Creates the missing global fields and the local field with its values; returns what it did. */
    List<String> apply() {
        List<String> done = new ArrayList<>();
        Set<String> existing = new LinkedHashSet<>();
        client.globalFields().forEach(f -> existing.add(f.path("id").asString("")));
        expectedGlobalFields().forEach((key, type) -> {
            if (existing.contains(key)) return;
            client.createGlobalField(field(key, type, null));
            done.add("Created global field " + key + " (" + type + ")");
        });
        List<String> wanted = typeNames.get();
        JsonNode local = localField();
        String key = settings.fields().incidentType();
        if (local == null) {
            client.createLocalField(field(key, "string", wanted));
            done.add("Created local field " + key + " with the " + wanted.size() + " incident types as its values");
        } else if (!values(local).equals(wanted)) {
            client.patchLocalField(key, Map.of("optionsProvider", options(wanted)));
            done.add("Set the values of local field " + key + " to the " + wanted.size() + " incident types");
        }
        return done;
    }

    /** The workflow steps the API cannot do: printed by {@code --apply}, and in the README. */
    List<String> manualSteps() {
        TrackerProperties.Statuses s = settings.statuses();
        return List.of(
                "Queue " + settings.queue() + " workflow (queue settings → Workflows), statuses by key: "
                        + String.join(", ", configuredStatuses()),
                "Transitions from every working status to " + s.error() + ", " + s.notifyOperatorInWork() + ", "
                        + s.notifyOperatorClosed() + " and " + s.notifyContractorInWork(),
                "Transitions " + s.notifyOperatorInWork() + " → " + s.notifiedOperatorInWork() + ", "
                        + s.notifyOperatorClosed() + " → " + s.notifiedOperatorClosed() + ", "
                        + s.notifyContractorInWork() + " → " + s.notifiedContractorInWork(),
                "The workflow starts at status " + s.open() + " (\"Новый\")");
    }

    private void localTypeField(List<Finding> findings) {
        String key = settings.fields().incidentType();
        JsonNode local = localField();
        if (local == null) {
            findings.add(new Finding("Local field " + key + " of queue " + settings.queue() + " is missing", true));
            return;
        }
        List<String> wanted = typeNames.get();
        List<String> actual = values(local);
        if (!actual.equals(wanted)) {
            List<String> missing = new ArrayList<>(wanted);
            missing.removeAll(actual);
            List<String> extra = new ArrayList<>(actual);
            extra.removeAll(wanted);
            findings.add(new Finding(
                    "Local field " + key + " values differ from the incident types: missing " + missing + ", extra "
                            + extra + (missing.isEmpty() && extra.isEmpty() ? " (order differs)" : ""),
                    true));
        }
    }

    private @Nullable JsonNode localField() {
        String key = settings.fields().incidentType();
        for (JsonNode f : client.localFields()) {
            String id = f.path("id").asString("");
            if (id.equals(key) || id.endsWith("--" + key)) return f;
        }
        return null;
    }

    private static List<String> values(JsonNode field) {
        List<String> values = new ArrayList<>();
        field.path("optionsProvider").path("values").forEach(v -> values.add(v.asString()));
        return values;
    }

    private Map<String, String> expectedGlobalFields() {
        TrackerProperties.Fields f = settings.fields();
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put(f.databaseId(), "integer");
        for (String key : List.of(f.emailIds(), f.pole(), f.baseStation(), f.newMessage(), f.slaStatus())) {
            expected.put(key, "string");
        }
        expected.put(f.emailDatetime(), "datetime");
        expected.put(f.slaDeadline(), "datetime");
        expected.put(f.operatorName(), "string");
        expected.put(f.contractorName(), "string");
        return expected;
    }

    private List<String> configuredStatuses() {
        TrackerProperties.Statuses s = settings.statuses();
        return List.of(
                s.open(),
                s.inProgress(),
                s.needAcceptance(),
                s.closed(),
                s.error(),
                s.onGeneration(),
                s.notifyOperatorInWork(),
                s.notifiedOperatorInWork(),
                s.notifyOperatorClosed(),
                s.notifiedOperatorClosed(),
                s.notifyContractorInWork(),
                s.notifiedContractorInWork());
    }

    private static Map<String, Object> field(String key, String type, @Nullable List<String> values) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", key);
        body.put("name", Map.of("en", key, "ru", key));
        body.put("category", SYSTEM_CATEGORY);
        body.put(
                "type",
                TYPE_PREFIX
                        + switch (type) {
                            case "integer" -> "Integer";
                            case "datetime" -> "DateTime";
                            default -> "String";
                        }
                        + "FieldType");
        if (values != null) body.put("optionsProvider", options(values));
        return body;
    }

    private static Map<String, Object> options(List<String> values) {
        return Map.of("type", "FixedListOptionsProvider", "values", values);
    }
}
