package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Field;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Turns request values into the canonical values an {@link Issue} stores, with Tracker's PATCH conventions:
 * {@code null} resets, arrays take {@code add/remove/set/replace} commands, refs come as object, key or id.
 */
final class FieldCodec {

    private static final Set<String> READ_ONLY = Set.of(
            "id",
            "key",
            "self",
            "version",
            "createdAt",
            "updatedAt",
            "createdBy",
            "updatedBy",
            "resolvedAt",
            "statusStartTime",
            "previousStatus",
            "lastCommentUpdatedAt",
            "votes",
            "favorite",
            "aliases");
    private static final Set<String> STRING_LISTS = Set.of("tags", "components", "emailTo", "emailCc");
    private static final Set<String> IGNORED = Set.of("markupType", "notify");

    private final Catalog catalog;

    FieldCodec(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Applies {@code body} to {@code fields} (a working copy), adding attachment ids to {@code attachments}.
     * Throws before the caller commits anything, so a rejected request changes nothing.
     */
    void apply(JsonNode body, Map<String, Object> fields, List<String> attachments, Predicate<String> fileExists) {
        if (!body.isObject()) {
            throw new TrackerException(400, "The request body must be a JSON object");
        }
        for (var e : body.properties()) {
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (IGNORED.contains(name)) {
                continue;
            }
            if (name.equals("status")) {
                throw new TrackerException(
                        422, "status", "Status can be changed only by a transition: use /transitions/{id}/_execute");
            }
            if (READ_ONLY.contains(name)) {
                throw new TrackerException(422, name, "Field " + name + " is read-only");
            }
            switch (name) {
                case "summary" -> {
                    if (!v.isString() || v.stringValue().isBlank()) {
                        throw new TrackerException(422, "summary", "Summary is required");
                    }
                    fields.put("summary", v.stringValue());
                }
                case "description", "emailFrom" -> put(fields, name, v.isNull() ? null : text(name, v));
                case "deadline" -> put(fields, name, v.isNull() ? null : date(name, v));
                case "type" -> put(fields, name, v.isNull() ? null : ref(name, v, Catalog.TYPES));
                case "priority" -> put(fields, name, v.isNull() ? null : ref(name, v, Catalog.PRIORITIES));
                case "resolution" -> put(fields, name, v.isNull() ? null : ref(name, v, Catalog.RESOLUTIONS));
                case "assignee" -> put(fields, name, v.isNull() ? null : uid(v));
                case "followers" -> put(fields, name, list(v, fields.get(name), this::uid));
                case "attachmentIds", "descriptionAttachmentIds" -> attachments.addAll(attachmentIds(v, fileExists));
                default -> {
                    if (STRING_LISTS.contains(name)) {
                        put(fields, name, list(v, fields.get(name), x -> text(name, x)));
                    } else {
                        custom(name, v, fields);
                    }
                }
            }
        }
    }

    private void custom(String name, JsonNode v, Map<String, Object> fields) {
        String key = catalog.customFieldKey(name)
                .orElseThrow(() -> new TrackerException(400, name, "Field " + name + " does not exist"));
        Field field = catalog.customField(key);
        if (v.isNull()) {
            fields.remove(key);
        } else if (v.isArray() || (v.isObject() && field.type().equals(Field.STRING))) {
            put(fields, key, list(v, fields.get(key), x -> scalar(field, x)));
        } else {
            fields.put(key, scalar(field, v));
        }
    }

    private Object scalar(Field field, JsonNode v) {
        String name = field.key();
        try {
            return switch (field.type()) {
                case Field.INTEGER ->
                    v.isIntegralNumber()
                            ? v.asLong()
                            : Long.parseLong(text(name, v).trim());
                case Field.FLOAT ->
                    v.isNumber()
                            ? v.decimalValue()
                            : new BigDecimal(text(name, v).trim());
                case Field.DATE -> date(name, v);
                case Field.DATETIME -> {
                    String t = text(name, v);
                    yield t.length() == 10
                            ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant()
                            : Json.parseInstant(t);
                }
                default -> text(name, v);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new TrackerException(422, name, "Invalid value of field " + name + ": " + v);
        }
    }

    private static String text(String name, JsonNode v) {
        if (v.isString() || v.isNumber() || v.isBoolean()) {
            return v.asString();
        }
        throw new TrackerException(422, name, "Invalid value of field " + name + ": " + v);
    }

    private static String date(String name, JsonNode v) {
        String t = text(name, v);
        try {
            return LocalDate.parse(t.length() > 10 ? t.substring(0, 10) : t).toString();
        } catch (DateTimeParseException e) {
            throw new TrackerException(422, name, "Invalid date in field " + name + ": " + t);
        }
    }

    /** A dictionary ref given as {@code {"id"|"key"|"name"}}, {@code {"set": x}}, a key string or an id number. */
    static String ref(String name, JsonNode v, List<Catalog.Entry> entries) {
        JsonNode x = v.isObject() && v.has("set") ? v.get("set") : v;
        String wanted = x.isObject() ? firstOf(x, "key", "id", "name", "display") : x.asString();
        return Catalog.find(entries, Objects.requireNonNullElse(wanted, ""))
                .map(Catalog.Entry::key)
                .orElseThrow(() -> new TrackerException(422, name, "Unknown value of " + name + ": " + v));
    }

    /** A user given as login, uid (string or number) or {@code {"id"|"uid"|"login"}}. */
    Long uid(JsonNode v) {
        JsonNode x = v.isObject() && v.has("set") ? v.get("set") : v;
        String wanted = x.isObject() ? firstOf(x, "id", "uid", "login", "passportUid") : x.asString();
        return catalog.user(Objects.requireNonNullElse(wanted, ""))
                .map(FakeTracker.User::uid)
                .orElseThrow(() -> new TrackerException(422, "user", "User not found: " + v));
    }

    private static String firstOf(JsonNode object, String... names) {
        for (String n : names) {
            if (object.hasNonNull(n)) {
                return object.get(n).asString();
            }
        }
        return null;
    }

    private static List<String> attachmentIds(JsonNode v, Predicate<String> fileExists) {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : v.isArray() ? v.values() : List.of(v)) {
            String s = id.asString();
            if (!fileExists.test(s)) {
                throw new TrackerException(400, "attachmentIds", "Attachment not found: " + s);
            }
            ids.add(s);
        }
        return ids;
    }

    /** Applies an array value or command to the current list; an empty result resets the field (null). */
    private static List<Object> list(JsonNode v, Object current, Function<JsonNode, Object> conv) {
        List<Object> out = new ArrayList<>();
        if (current instanceof List<?> l) {
            out.addAll(l);
        } else if (current != null) {
            out.add(current);
        }
        if (v.isNull()) {
            return null;
        } else if (v.isObject() && hasCommand(v)) {
            if (v.has("set")) {
                out.clear();
                each(v.get("set"), conv, out::add);
            }
            each(v.path("add"), conv, x -> {
                if (!out.contains(x)) {
                    out.add(x);
                }
            });
            each(v.path("remove"), conv, out::remove);
            for (JsonNode r : v.path("replace").values()) {
                int i = out.indexOf(conv.apply(r.get("target")));
                if (i >= 0) {
                    out.set(i, conv.apply(r.get("replacement")));
                }
            }
        } else {
            out.clear();
            each(v, conv, out::add);
        }
        return out.isEmpty() ? null : out;
    }

    private static boolean hasCommand(JsonNode v) {
        return v.has("add") || v.has("remove") || v.has("set") || v.has("replace");
    }

    private static void each(JsonNode v, Function<JsonNode, Object> conv, java.util.function.Consumer<Object> sink) {
        if (v.isMissingNode() || v.isNull()) {
            return;
        }
        for (JsonNode x : v.isArray() ? v.values() : List.of(v)) {
            sink.accept(conv.apply(x));
        }
    }

    private static void put(Map<String, Object> fields, String key, Object value) {
        if (value == null) {
            fields.remove(key);
        } else {
            fields.put(key, value);
        }
    }
}
