package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Field;
import dispatch.standin.tracker.FakeTracker.User;
import dispatch.standin.tracker.Http.Request;
import dispatch.standin.tracker.Http.Response;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Read-mostly directories: myself, users, statuses, the queue, its local fields, global fields and categories. */
final class DirectoryRoutes {

    private static final List<Field> SYSTEM_FIELDS = List.of(
            new Field("summary", Field.STRING),
            new Field("description", Field.STRING),
            new Field("status", "status"),
            new Field("unique", Field.STRING),
            new Field("emailFrom", Field.STRING),
            new Field("emailTo", "array"),
            new Field("emailCc", "array"),
            new Field("createdAt", Field.DATETIME),
            new Field("updatedAt", Field.DATETIME),
            new Field("resolvedAt", Field.DATETIME),
            new Field("statusStartTime", Field.DATETIME));

    private final Store store;
    private final Catalog catalog;
    private final Map<String, Integer> fieldVersions = new HashMap<>();
    private final Map<String, ObjectNode> fieldChanges = new HashMap<>();

    DirectoryRoutes(Store store) {
        this.store = store;
        this.catalog = store.catalog;
    }

    void register(Router router) {
        router.add("GET", "/myself", (q, r) -> Response.ok(r.user(catalog.apiUser())));
        router.add("GET", "/users", this::users);
        router.add(
                "GET",
                "/users/{id}",
                (q, r) -> Response.ok(r.user(
                        catalog.user(q.param(0)).orElseThrow(() -> TrackerException.notFound("user " + q.param(0))))));
        router.add("GET", "/statuses", (q, r) -> {
            ArrayNode a = Json.array();
            catalog.settings.statuses().forEach(s -> a.add(r.status(s)));
            return Response.ok(a);
        });
        router.add("GET", "/queues/{key}", this::queue);
        router.add("GET", "/queues/{key}/localFields", this::localFields);
        router.add("GET", "/fields", this::fields);
        router.add("GET", "/fields/categories", (q, r) -> {
            ArrayNode a = Json.array();
            Catalog.CATEGORIES.forEach(c -> a.add(r.category(c)));
            return Response.ok(a);
        });
        router.add("GET", "/fields/{id}", (q, r) -> Response.ok(field(q.param(0), r)));
        router.add("PATCH", "/fields/{id}", this::patchField);
    }

    private Response users(Request q, Render r) {
        List<User> users = catalog.settings.users();
        int perPage = q.intQuery("perPage", 50);
        int page = q.intQuery("page", 1);
        ArrayNode a = Json.array();
        users.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(u -> a.add(r.user(u)));
        return Response.ok(a)
                .header("X-Total-Count", String.valueOf(users.size()))
                .header("X-Total-Pages", String.valueOf((users.size() + perPage - 1) / perPage));
    }

    /** The queue key is case-sensitive, as in Tracker. */
    private Response queue(Request q, Render r) {
        String key = requireQueue(q.param(0));
        ObjectNode o = Json.object();
        o.put("self", r.url("/queues/" + key));
        o.put("id", 1);
        o.put("key", key);
        o.put("version", 1);
        o.put("name", key);
        o.set("lead", r.userRef(catalog.apiUser().uid()));
        o.put("assignAuto", false);
        o.set("defaultType", r.ref("/issuetypes/", Catalog.TYPES.get(0)));
        o.set("defaultPriority", r.ref("/priorities/", Catalog.get(Catalog.PRIORITIES, "normal")));
        ArrayNode types = o.putArray("issueTypes");
        Catalog.TYPES.forEach(t -> types.add(r.ref("/issuetypes/", t)));
        o.put("denyVoting", false);
        return Response.ok(o);
    }

    private String requireQueue(String key) {
        if (!key.equals(catalog.settings.queue())) {
            throw TrackerException.notFound("queue " + key);
        }
        return key;
    }

    private Response localFields(Request q, Render r) {
        requireQueue(q.param(0));
        ArrayNode a = Json.array();
        catalog.localFields().forEach((id, f) -> a.add(r.field(id, f.key(), f, 1, Catalog.CATEGORIES.get(0), true)));
        return Response.ok(a);
    }

    private Response fields(Request q, Render r) {
        ArrayNode a = Json.array();
        for (String id : allFieldIds()) {
            a.add(field(id, r));
        }
        return Response.ok(a);
    }

    private List<String> allFieldIds() {
        Map<String, Field> all = new LinkedHashMap<>();
        SYSTEM_FIELDS.forEach(f -> all.put(f.key(), f));
        all.putAll(catalog.globalFields());
        return List.copyOf(all.keySet());
    }

    private synchronized ObjectNode field(String id, Render r) {
        Field f = catalog.globalFields().get(id);
        if (f == null) {
            f = SYSTEM_FIELDS.stream()
                    .filter(s -> s.key().equals(id))
                    .findFirst()
                    .orElseThrow(() -> TrackerException.notFound("field " + id));
        }
        ObjectNode o = r.field(id, id, f, fieldVersions.getOrDefault(id, 1), category(id), false);
        if (fieldChanges.containsKey(id)) {
            o.setAll(fieldChanges.get(id));
        }
        return o;
    }

    private static Catalog.Entry category(String id) {
        String key = id.startsWith("sla")
                ? "sla"
                : id.startsWith("email") ? "email" : id.equals("localId") ? "agile" : "system";
        return Catalog.get(Catalog.CATEGORIES, key);
    }

    /** Field edits are versioned: 428 without {@code ?version}, 412 when it is stale. */
    private synchronized Response patchField(Request q, Render r) {
        String id = q.param(0);
        field(id, r);
        String version = q.query("version");
        if (version == null) {
            throw new TrackerException(428, "version", "Parameter version is required");
        }
        int current = fieldVersions.getOrDefault(id, 1);
        if (!version.equals(String.valueOf(current))) {
            throw new TrackerException(412, "version", "Field version " + version + " is stale, current " + current);
        }
        JsonNode body = q.json();
        ObjectNode changes = fieldChanges.computeIfAbsent(id, k -> Json.object());
        for (String name : List.of("name", "description", "readonly", "hidden", "visible", "category")) {
            if (body.has(name)) {
                JsonNode v = body.get(name);
                changes.set(
                        name,
                        name.equals("name") && v.isObject()
                                ? v.path("en").isMissingNode() ? v.path("ru") : v.path("en")
                                : v);
            }
        }
        fieldVersions.put(id, current + 1);
        return Response.ok(field(id, r));
    }
}
