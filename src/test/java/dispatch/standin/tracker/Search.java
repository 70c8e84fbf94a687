package dispatch.standin.tracker;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/** Evaluates the bodies of {@code _search} and {@code _count}: {@code queue}, {@code keys}, {@code filter}, {@code query}, {@code order}. */
final class Search {

    enum Op {
        EQ,
        NE,
        GT,
        GE,
        LT,
        LE,
        RANGE,
        EMPTY,
        NOT_EMPTY,
        CONTAINS
    }

    /** One test on a field; EQ/CONTAINS with several operands means any of them. RANGE operands are from, to (nullable). */
    record Cond(String field, Op op, List<String> operands) {}

    /** Conditions of one parameter: NE ones must all hold, of the others any one. */
    record Clause(List<Cond> conds) {}

    record Sort(String field, boolean ascending) {}

    /** OR of groups, each an AND of clauses, then sorted. */
    record Plan(List<List<Clause>> groups, List<Sort> sort) {}

    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("created", "createdAt"),
            Map.entry("updated", "updatedAt"),
            Map.entry("resolved", "resolvedAt"),
            Map.entry("author", "createdBy"),
            Map.entry("reporter", "createdBy"),
            Map.entry("follower", "followers"),
            Map.entry("tag", "tags"),
            Map.entry("component", "components"));
    private static final List<String> SYSTEM = List.of(
            "id",
            "key",
            "queue",
            "unique",
            "status",
            "previousStatus",
            "type",
            "priority",
            "resolution",
            "assignee",
            "createdBy",
            "updatedBy",
            "followers",
            "createdAt",
            "updatedAt",
            "resolvedAt",
            "lastCommentUpdatedAt",
            "summary",
            "description",
            "tags",
            "components",
            "emailFrom",
            "emailTo",
            "emailCc",
            "deadline");

    private final Catalog catalog;
    private final Supplier<Instant> now;

    /** {@code now} is the fake's clock, for the query functions {@code now()} and {@code today()}. */
    Search(Catalog catalog, Supplier<Instant> now) {
        this.catalog = catalog;
        this.now = now;
    }

    Instant now() {
        return now.get();
    }

    /**
     * Builds the plan of a request body; more than one of queue/keys/filter/query is a 400, as documented. A key sent
     * as {@code null} is absent (Yandex's Python client sends every key, unused ones as null). The fake has no saved
     * filters, so a {@code filterId} finds none.
     */
    Plan plan(JsonNode body) {
        if (given(body, "filterId")) {
            throw TrackerException.notFound("filter " + body.get("filterId").asString());
        }
        int kinds = (given(body, "queue") ? 1 : 0)
                + (given(body, "keys") ? 1 : 0)
                + (given(body, "filter") ? 1 : 0)
                + (given(body, "query") ? 1 : 0);
        if (kinds > 1) {
            throw TrackerException.badRequest("You can only use keys, a queue, or a search query");
        }
        List<Sort> bySortKey = List.of(new Sort("key", true));
        if (given(body, "queue")) {
            return single(
                    List.of(new Clause(List.of(
                            new Cond("queue", Op.EQ, List.of(body.get("queue").asString()))))),
                    bySortKey);
        }
        if (given(body, "keys")) {
            JsonNode keys = body.get("keys");
            List<String> list = keys.isArray()
                    ? keys.values().stream().map(JsonNode::asString).toList()
                    : List.of(keys.asString());
            return single(List.of(new Clause(List.of(new Cond("key", Op.EQ, list)))), bySortKey);
        }
        if (given(body, "query")) {
            return new QueryParser(this, catalog).parse(body.get("query").asString());
        }
        List<Clause> clauses = new ArrayList<>();
        JsonNode filter = given(body, "filter") ? body.get("filter") : Json.object();
        if (!filter.isObject()) {
            throw TrackerException.badRequest("filter must be an object");
        }
        for (var e : filter.properties()) {
            clauses.add(filterClause(field(e.getKey()), e.getValue()));
        }
        return single(clauses, order(body.path("order")));
    }

    /** Present and not {@code null}. */
    static boolean given(JsonNode body, String key) {
        return body.hasNonNull(key);
    }

    private static Plan single(List<Clause> clauses, List<Sort> sort) {
        return new Plan(List.of(clauses), sort);
    }

    private Clause filterClause(String field, JsonNode v) {
        if (v.isNull() || (v.isString() && v.stringValue().equalsIgnoreCase("empty()"))) {
            return new Clause(List.of(new Cond(field, Op.EMPTY, List.of())));
        }
        if (v.isString() && v.stringValue().equalsIgnoreCase("notEmpty()")) {
            return new Clause(List.of(new Cond(field, Op.NOT_EMPTY, List.of())));
        }
        if (v.isObject() && (v.has("from") || v.has("to"))) {
            List<String> range = new ArrayList<>();
            range.add(v.hasNonNull("from") ? v.get("from").asString() : null);
            range.add(v.hasNonNull("to") ? v.get("to").asString() : null);
            return new Clause(List.of(new Cond(field, Op.RANGE, range)));
        }
        List<String> operands = new ArrayList<>();
        for (JsonNode x : v.isArray() ? v.values() : List.of(v)) {
            operands.add(operand(x));
        }
        return new Clause(List.of(new Cond(field, Op.EQ, operands)));
    }

    /** A reference object matches by id, key, login or display; {@code me()} is the API user. */
    private String operand(JsonNode x) {
        if (x.isObject()) {
            for (String n : List.of("id", "key", "uid", "login", "name", "display")) {
                if (x.hasNonNull(n)) {
                    return x.get(n).asString();
                }
            }
            throw TrackerException.badRequest("Cannot match by " + x);
        }
        return x.asString().equalsIgnoreCase("me()")
                ? String.valueOf(catalog.apiUser().uid())
                : x.asString();
    }

    private List<Sort> order(JsonNode order) {
        List<Sort> sorts = new ArrayList<>();
        for (JsonNode o : order.isArray()
                ? order.values()
                : order.isMissingNode() || order.isNull() ? List.<JsonNode>of() : List.of(order)) {
            String s = o.asString().trim();
            boolean desc = s.startsWith("-");
            sorts.add(new Sort(field(s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s), !desc));
        }
        if (sorts.isEmpty()) {
            sorts.add(new Sort("key", true));
        }
        return sorts;
    }

    /** The canonical field for a filter, order or query name; unknown names are a 400 as in Tracker. */
    String field(String name) {
        String n = name.trim();
        String lower = n.toLowerCase(Locale.ROOT);
        if (ALIASES.containsKey(lower)) {
            return ALIASES.get(lower);
        }
        for (String s : SYSTEM) {
            if (s.equalsIgnoreCase(n)) {
                return s;
            }
        }
        String local = n.startsWith(catalog.settings.queue() + ".") ? n.substring(n.indexOf('.') + 1) : n;
        Optional<String> custom = catalog.customFieldKey(local);
        if (custom.isPresent()) {
            return custom.get();
        }
        return catalog.globalFields().keySet().stream()
                .filter(k -> k.equalsIgnoreCase(local))
                .findFirst()
                .orElseThrow(() -> new TrackerException(400, name, "Unknown field: " + name));
    }

    boolean isText(String field) {
        return field.equals("summary") || field.equals("description");
    }

    List<Issue> run(Plan plan, Collection<Issue> issues) {
        return new IssueMatcher(catalog).run(plan, issues);
    }
}
