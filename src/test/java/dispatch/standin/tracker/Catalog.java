package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Field;
import dispatch.standin.tracker.FakeTracker.Settings;
import dispatch.standin.tracker.FakeTracker.Status;
import dispatch.standin.tracker.FakeTracker.User;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The fixed dictionaries of the fake: statuses, users, issue types, priorities, resolutions, custom fields. */
final class Catalog {

    /** A dictionary entry with a numeric id, rendered as a {@code {self,id,key,display}} reference. */
    record Entry(int id, String key, String display) {}

    static final List<Entry> TYPES = List.of(
            new Entry(1, "incident", "Инцидент"), new Entry(2, "task", "Задача"), new Entry(3, "bug", "Ошибка"));
    static final List<Entry> PRIORITIES = List.of(
            new Entry(1, "trivial", "Незначительный"),
            new Entry(2, "minor", "Низкий"),
            new Entry(3, "normal", "Средний"),
            new Entry(4, "critical", "Критичный"),
            new Entry(5, "blocker", "Блокер"));
    static final List<Entry> RESOLUTIONS = List.of(
            new Entry(1, "fixed", "Решен"),
            new Entry(2, "wontFix", "Не будет исправлено"),
            new Entry(3, "duplicate", "Дубликат"));
    static final List<Entry> CATEGORIES = List.of(
            new Entry(1, "system", "System"),
            new Entry(2, "timestamp", "Timestamp"),
            new Entry(3, "agile", "Agile"),
            new Entry(4, "email", "Email"),
            new Entry(5, "sla", "SLA"));

    final Settings settings;
    /** Statuses the workflow has no transition to (a queue set up without them); none by default. */
    final Set<String> unreachable = ConcurrentHashMap.newKeySet();

    private final Map<String, Field> globalFields = new LinkedHashMap<>();
    private final Map<String, Field> localFieldsByFullId = new LinkedHashMap<>();
    private final String localPrefix;

    Catalog(Settings settings) {
        this.settings = settings;
        settings.globalFields().forEach(f -> globalFields.put(f.key(), f));
        // Opaque per-queue prefix, stable for a queue key so restarts of the dev run keep the same ids.
        this.localPrefix =
                String.format("%024x", Math.abs((long) settings.queue().hashCode()) * 7919L + 0x5eedL);
        settings.localFields().forEach(f -> localFieldsByFullId.put(localPrefix + "--" + f.key(), f));
    }

    static String categoryId(Entry category) {
        return String.format("%024d", category.id());
    }

    private final Map<String, List<String>> options = new LinkedHashMap<>();

    /** A new local field of the queue; returns its full id. */
    String addLocalField(Field field) {
        String id = localPrefix + "--" + field.key();
        localFieldsByFullId.put(id, field);
        return id;
    }

    /** Sets the drop-down values of a field (by stored key); an absent or empty node leaves none. */
    void options(String storedKey, tools.jackson.databind.JsonNode values) {
        List<String> list = new java.util.ArrayList<>();
        values.forEach(v -> list.add(v.asString()));
        if (list.isEmpty()) {
            options.remove(storedKey);
        } else {
            options.put(storedKey, List.copyOf(list));
        }
    }

    /** The drop-down values of a field, if it has any. */
    Optional<List<String>> options(String storedKey) {
        return Optional.ofNullable(options.get(storedKey));
    }

    String localFieldId(String key) {
        String id = localPrefix + "--" + key;
        if (!localFieldsByFullId.containsKey(id)) {
            throw new IllegalArgumentException("no local field " + key);
        }
        return id;
    }

    Map<String, Field> globalFields() {
        return globalFields;
    }

    Map<String, Field> localFields() {
        return localFieldsByFullId;
    }

    /** The stored key of a custom field given by key, full local id or short local key; empty if unknown. */
    Optional<String> customFieldKey(String name) {
        if (globalFields.containsKey(name) || localFieldsByFullId.containsKey(name)) {
            return Optional.of(name);
        }
        String full = localPrefix + "--" + name;
        return localFieldsByFullId.containsKey(full) ? Optional.of(full) : Optional.empty();
    }

    Field customField(String storedKey) {
        Field f = globalFields.get(storedKey);
        return f != null ? f : localFieldsByFullId.get(storedKey);
    }

    int statusId(String key) {
        List<Status> all = settings.statuses();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).key().equals(key)) {
                return i + 1;
            }
        }
        throw new IllegalStateException("unknown status " + key);
    }

    Optional<Status> status(String keyIdOrDisplay) {
        List<Status> all = settings.statuses();
        for (int i = 0; i < all.size(); i++) {
            Status s = all.get(i);
            if (s.key().equalsIgnoreCase(keyIdOrDisplay)
                    || s.display().equalsIgnoreCase(keyIdOrDisplay)
                    || String.valueOf(i + 1).equals(keyIdOrDisplay)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    Status requireStatus(String key) {
        return status(key).orElseThrow(() -> TrackerException.notFound("status " + key));
    }

    /** The API user: the owner of every token. */
    User apiUser() {
        return settings.users().get(0);
    }

    /** The user the dispatcher-side helpers act as. */
    User dispatcher() {
        List<User> users = settings.users();
        return users.size() > 1 ? users.get(1) : users.get(0);
    }

    Optional<User> user(String loginUidOrDisplay) {
        String v = loginUidOrDisplay.endsWith("@")
                ? loginUidOrDisplay.substring(0, loginUidOrDisplay.length() - 1)
                : loginUidOrDisplay;
        return settings.users().stream()
                .filter(u -> u.login().equalsIgnoreCase(v)
                        || String.valueOf(u.uid()).equals(v)
                        || u.display().equalsIgnoreCase(v))
                .findFirst();
    }

    User user(long uid) {
        return settings.users().stream().filter(u -> u.uid() == uid).findFirst().orElseThrow();
    }

    static Optional<Entry> find(List<Entry> entries, String keyIdOrDisplay) {
        String v = keyIdOrDisplay.toLowerCase(Locale.ROOT);
        return entries.stream()
                .filter(e -> e.key().equalsIgnoreCase(v)
                        || String.valueOf(e.id()).equals(v)
                        || e.display().toLowerCase(Locale.ROOT).equals(v))
                .findFirst();
    }

    static Entry get(List<Entry> entries, String key) {
        return find(entries, key).orElseThrow();
    }
}
