package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Field;
import dispatch.standin.tracker.FakeTracker.Status;
import dispatch.standin.tracker.FakeTracker.User;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Builds the response JSON; {@code self} links use the base URL and the API version of the call. */
final class Render {

    final String base;
    final String version;
    private final Catalog catalog;

    Render(String baseUrl, String version, Catalog catalog) {
        this.base = baseUrl;
        this.version = version.isEmpty() ? "v2" : version;
        this.catalog = catalog;
    }

    String url(String path) {
        return base + "/" + version + path;
    }

    ObjectNode issue(Issue issue, boolean transitions, Function<String, Attachment> files) {
        ObjectNode o = Json.object();
        o.put("self", url("/issues/" + issue.key));
        o.put("id", issue.id);
        o.put("key", issue.key);
        o.put("version", issue.version);
        if (issue.unique != null) {
            o.put("unique", issue.unique);
        }
        o.set("queue", queueRef());
        o.put("createdAt", Json.format(issue.createdAt));
        o.set("createdBy", userRef(issue.createdBy));
        o.put("updatedAt", Json.format(issue.updatedAt));
        o.set("updatedBy", userRef(issue.updatedBy));
        if (issue.lastCommentUpdatedAt != null) {
            o.put("lastCommentUpdatedAt", Json.format(issue.lastCommentUpdatedAt));
        }
        for (Map.Entry<String, Object> e : issue.fields.entrySet()) {
            putField(o, e.getKey(), e.getValue());
        }
        o.put("votes", 0);
        o.put("favorite", false);
        if (files != null && !issue.attachmentIds.isEmpty()) {
            ArrayNode a = o.putArray("attachments");
            issue.attachmentIds.forEach(id -> a.add(attachment(files.apply(id))));
        }
        if (transitions) {
            o.set("transitions", transitions(issue));
        }
        return o;
    }

    private void putField(ObjectNode o, String name, Object value) {
        switch (name) {
            case "status", "previousStatus" -> o.set(name, statusRef((String) value));
            case "type" -> o.set(name, ref("/issuetypes/", Catalog.get(Catalog.TYPES, (String) value)));
            case "priority" -> o.set(name, ref("/priorities/", Catalog.get(Catalog.PRIORITIES, (String) value)));
            case "resolution" -> o.set(name, ref("/resolutions/", Catalog.get(Catalog.RESOLUTIONS, (String) value)));
            case "assignee" -> o.set(name, userRef((Long) value));
            case "followers" -> {
                ArrayNode a = o.putArray(name);
                ((List<?>) value).forEach(uid -> a.add(userRef((Long) uid)));
            }
            default -> o.set(name, Json.MAPPER.valueToTree(plain(value)));
        }
    }

    private static Object plain(Object value) {
        if (value instanceof Instant i) {
            return Json.format(i);
        }
        if (value instanceof List<?> l) {
            return l.stream().map(Render::plain).toList();
        }
        return value instanceof BigDecimal d ? d.stripTrailingZeros() : value;
    }

    ArrayNode transitions(Issue issue) {
        ArrayNode a = Json.array();
        for (Status s : catalog.settings.statuses()) {
            if (!s.key().equals(issue.status()) && !catalog.unreachable.contains(s.key())) {
                ObjectNode t = a.addObject();
                t.put("id", s.key());
                t.put("self", url("/issues/" + issue.key + "/transitions/" + s.key()));
                t.put("display", s.display());
                t.set("to", statusRef(s.key()));
            }
        }
        return a;
    }

    ObjectNode statusRef(String key) {
        Status s = catalog.requireStatus(key);
        int id = catalog.statusId(key);
        ObjectNode o = Json.object();
        o.put("self", url("/statuses/" + id));
        o.put("id", String.valueOf(id));
        o.put("key", s.key());
        o.put("display", s.display());
        return o;
    }

    ObjectNode status(Status s) {
        int id = catalog.statusId(s.key());
        ObjectNode o = Json.object();
        o.put("self", url("/statuses/" + id));
        o.put("id", id);
        o.put("version", 1);
        o.put("key", s.key());
        o.put("name", s.display());
        o.put("description", s.display());
        o.put("order", id * 100);
        o.put("type", s.type());
        return o;
    }

    ObjectNode ref(String path, Catalog.Entry e) {
        ObjectNode o = Json.object();
        o.put("self", url(path + e.id()));
        o.put("id", String.valueOf(e.id()));
        o.put("key", e.key());
        o.put("display", e.display());
        return o;
    }

    ObjectNode queueRef() {
        String q = catalog.settings.queue();
        ObjectNode o = Json.object();
        o.put("self", url("/queues/" + q));
        o.put("id", "1");
        o.put("key", q);
        o.put("display", q);
        return o;
    }

    /** Users have no {@code key}; the id is the uid as a string. */
    ObjectNode userRef(long uid) {
        User u = catalog.user(uid);
        ObjectNode o = Json.object();
        o.put("self", url("/users/" + uid));
        o.put("id", String.valueOf(uid));
        o.put("display", u.display());
        return o;
    }

    ObjectNode user(User u) {
        ObjectNode o = Json.object();
        o.put("self", url("/users/" + u.uid()));
        o.put("uid", u.uid());
        o.put("login", u.login());
        o.put("trackerUid", u.uid());
        o.put("passportUid", u.uid());
        String[] names = u.display().split(" ", 2);
        o.put("firstName", names[0]);
        o.put("lastName", names.length > 1 ? names[1] : "");
        o.put("display", u.display());
        o.put("email", u.login() + "@yandex.ru");
        o.put("external", false);
        o.put("hasLicense", true);
        o.put("dismissed", false);
        o.put("useNewFilters", true);
        o.put("disableNotifications", false);
        return o;
    }

    ObjectNode comment(Comment c, Function<String, Attachment> files) {
        ObjectNode o = Json.object();
        o.put("self", url("/issues/" + c.issueKey + "/comments/" + c.id));
        o.put("id", c.id);
        o.put("longId", c.longId);
        if (c.text != null) {
            o.put("text", c.text);
        }
        o.set("createdBy", userRef(c.createdBy));
        o.set("updatedBy", userRef(c.updatedBy));
        o.put("createdAt", Json.format(c.createdAt));
        o.put("updatedAt", Json.format(c.updatedAt));
        o.put("version", c.version);
        o.put("type", c.type);
        o.put("transport", c.transport);
        if (c.email != null) {
            o.set("email", c.email);
        }
        if (!c.attachmentIds.isEmpty()) {
            ArrayNode a = o.putArray("attachments");
            c.attachmentIds.forEach(id -> a.add(attachment(files.apply(id))));
        }
        return o;
    }

    ObjectNode attachment(Attachment f) {
        ObjectNode o = Json.object();
        o.put("self", url("/attachments/" + f.id()));
        o.put("id", f.id());
        o.put("name", f.name());
        o.put("content", url("/attachments/" + f.id() + "/" + f.name()));
        o.set("createdBy", userRef(f.createdBy()));
        o.put("createdAt", Json.format(f.createdAt()));
        o.put("mimetype", f.mimetype());
        o.put("size", f.content().length);
        return o;
    }

    ObjectNode field(String id, String name, Field f, int fieldVersion, Catalog.Entry category, boolean local) {
        ObjectNode o = Json.object();
        o.put(
                "self",
                local ? url("/queues/" + catalog.settings.queue() + "/localFields/" + f.key()) : url("/fields/" + id));
        o.put("id", id);
        o.put("name", name);
        o.put("key", f.key());
        o.put("version", fieldVersion);
        ObjectNode schema = o.putObject("schema");
        schema.put("type", f.type());
        schema.put("required", false);
        o.put("readonly", false);
        o.put("options", false);
        o.put("suggest", false);
        o.set("category", category(category));
        catalog.options(id).ifPresent(values -> {
            o.put("options", true);
            ObjectNode provider = o.putObject("optionsProvider");
            provider.put("type", "FixedListOptionsProvider");
            values.forEach(provider.putArray("values")::add);
        });
        if (local) {
            o.set("queue", queueRef());
        }
        o.put("type", local ? "local" : "standard");
        return o;
    }

    ObjectNode category(Catalog.Entry c) {
        ObjectNode o = Json.object();
        String id = Catalog.categoryId(c);
        o.put("self", url("/fields/categories/" + id));
        o.put("id", id);
        o.put("display", c.display());
        return o;
    }
}
