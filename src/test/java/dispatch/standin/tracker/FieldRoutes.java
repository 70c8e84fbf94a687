package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Field;
import dispatch.standin.tracker.Http.Response;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Creating fields as {@code tracker-setup --apply} does (docs/tracker-api.md "Fields"): a global field
 * ({@code POST /fields}), a queue's local field ({@code POST /queues/{key}/localFields}) and a local field's values
 * ({@code PATCH /queues/{key}/localFields/{key}}). The type comes as {@code ru.yandex.startrek.core.fields.<T>FieldType};
 * drop-down values as {@code optionsProvider.values}.
 */
final class FieldRoutes {

    private static final String TYPE_PREFIX = "ru.yandex.startrek.core.fields.";

    private final Catalog catalog;

    FieldRoutes(Store store) {
        this.catalog = store.catalog;
    }

    void register(Router router) {
        router.add("POST", "/fields", (q, r) -> {
            Field f = field(q.json());
            synchronized (catalog) {
                if (catalog.globalFields().containsKey(f.key())) {
                    throw new TrackerException(409, "id", "Field " + f.key() + " already exists");
                }
                catalog.globalFields().put(f.key(), f);
                catalog.options(f.key(), q.json().path("optionsProvider").path("values"));
            }
            return Response.json(201, r.field(f.key(), f.key(), f, 1, Catalog.CATEGORIES.get(0), false));
        });
        router.add("POST", "/queues/{key}/localFields", (q, r) -> {
            queue(q.param(0));
            Field f = field(q.json());
            String id;
            synchronized (catalog) {
                if (catalog.customFieldKey(f.key()).isPresent()) {
                    throw new TrackerException(409, "id", "Local field " + f.key() + " already exists");
                }
                id = catalog.addLocalField(f);
                catalog.options(id, q.json().path("optionsProvider").path("values"));
            }
            return Response.json(201, r.field(id, f.key(), f, 1, Catalog.CATEGORIES.get(0), true));
        });
        router.add("PATCH", "/queues/{key}/localFields/{field}", (q, r) -> {
            queue(q.param(0));
            String id = catalog.customFieldKey(q.param(1))
                    .orElseThrow(() -> TrackerException.notFound("local field " + q.param(1)));
            JsonNode values = q.json().path("optionsProvider").path("values");
            synchronized (catalog) {
                if (values.isArray()) catalog.options(id, values);
            }
            return Response.ok(r.field(id, q.param(1), catalog.customField(id), 2, Catalog.CATEGORIES.get(0), true));
        });
    }

    private void queue(String key) {
        if (!key.equals(catalog.settings.queue())) throw TrackerException.notFound("queue " + key);
    }

    private static Field field(JsonNode body) {
        String id = body.path("id").asString("");
        String type = body.path("type").asString("");
        if (id.isBlank() || !type.startsWith(TYPE_PREFIX) || !type.endsWith("FieldType")) {
            throw new TrackerException(400, "type", "id and a " + TYPE_PREFIX + "<T>FieldType type are required");
        }
        String simple = type.substring(TYPE_PREFIX.length(), type.length() - "FieldType".length())
                .toLowerCase(Locale.ROOT);
        return new Field(id, simple.equals("text") ? Field.STRING : simple);
    }
}
