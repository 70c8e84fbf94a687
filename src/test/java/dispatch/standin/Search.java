package dispatch.standin;

import dispatch.standin.FakeTracker.Field;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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

    private enum Kind {
        STATUS,
        DICT,
        QUEUE,
        KEY,
        USER,
        TIME,
        NUMBER,
        TEXT
    }

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

    Search(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Builds the plan of a request body; more than one of queue/keys/filter/query is a 400, as documented. */
    Plan plan(JsonNode body) {
        int kinds = (body.has("queue") ? 1 : 0)
                + (body.has("keys") ? 1 : 0)
                + (body.has("filter") ? 1 : 0)
                + (body.has("query") ? 1 : 0);
        if (kinds > 1) {
            throw TrackerException.badRequest("You can only use keys, a queue, or a search query");
        }
        List<Sort> bySortKey = List.of(new Sort("key", true));
        if (body.has("queue")) {
            return single(
                    List.of(new Clause(List.of(
                            new Cond("queue", Op.EQ, List.of(body.get("queue").asString()))))),
                    bySortKey);
        }
        if (body.has("keys")) {
            JsonNode keys = body.get("keys");
            List<String> list = keys.isArray()
                    ? keys.values().stream().map(JsonNode::asString).toList()
                    : List.of(keys.asString());
            return single(List.of(new Clause(List.of(new Cond("key", Op.EQ, list)))), bySortKey);
        }
        if (body.has("query")) {
            return new QueryParser(this, catalog).parse(body.get("query").asString());
        }
        List<Clause> clauses = new ArrayList<>();
        JsonNode filter = body.path("filter");
        if (!filter.isMissingNode() && !filter.isObject()) {
            throw TrackerException.badRequest("filter must be an object");
        }
        for (var e : filter.properties()) {
            clauses.add(filterClause(field(e.getKey()), e.getValue()));
        }
        return single(clauses, order(body.path("order")));
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
        for (JsonNode o :
                order.isArray() ? order.values() : order.isMissingNode() ? List.<JsonNode>of() : List.of(order)) {
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

    List<Issue> run(Plan plan, Collection<Issue> issues) {
        List<Issue> hits = new ArrayList<>();
        for (Issue i : issues) {
            if (plan.groups().stream().anyMatch(g -> g.stream().allMatch(c -> test(i, c)))) {
                hits.add(i);
            }
        }
        hits.sort(comparator(plan.sort()));
        return hits;
    }

    private boolean test(Issue issue, Clause clause) {
        boolean anyPositive = false;
        boolean positiveHit = false;
        for (Cond c : clause.conds()) {
            if (c.op() == Op.NE) {
                if (!test(issue, c)) {
                    return false;
                }
            } else {
                anyPositive = true;
                positiveHit |= test(issue, c);
            }
        }
        return !anyPositive || positiveHit;
    }

    private boolean test(Issue issue, Cond c) {
        Object raw = issue.value(c.field());
        List<?> values = raw == null ? List.of() : raw instanceof List<?> l ? l : List.of(raw);
        Kind kind = kind(c.field());
        return switch (c.op()) {
            case EMPTY -> values.isEmpty();
            case NOT_EMPTY -> !values.isEmpty();
            case NE -> values.stream().noneMatch(v -> c.operands().stream().anyMatch(o -> eq(kind, v, o)));
            case EQ -> values.stream().anyMatch(v -> c.operands().stream().anyMatch(o -> eq(kind, v, o)));
            case CONTAINS ->
                values.stream()
                        .anyMatch(v -> c.operands().stream()
                                .anyMatch(o ->
                                        v.toString().toLowerCase(Locale.ROOT).contains(o.toLowerCase(Locale.ROOT))));
            default -> values.stream().anyMatch(v -> compare(kind, v, c));
        };
    }

    private boolean eq(Kind kind, Object v, String o) {
        return switch (kind) {
            case STATUS -> catalog.status(o).map(s -> s.key().equals(v)).orElse(false);
            case DICT ->
                Catalog.find(Catalog.TYPES, o).map(e -> e.key().equals(v)).orElse(false)
                        || Catalog.find(Catalog.PRIORITIES, o)
                                .map(e -> e.key().equals(v))
                                .orElse(false)
                        || Catalog.find(Catalog.RESOLUTIONS, o)
                                .map(e -> e.key().equals(v))
                                .orElse(false);
            case QUEUE -> o.equalsIgnoreCase((String) v) || o.equals("1");
            case KEY -> o.equalsIgnoreCase(v.toString());
            case USER -> catalog.user(o).map(u -> Objects.equals(u.uid(), v)).orElse(false);
            case TIME -> {
                Instant[] span = Json.parseSpan(o);
                Instant at = (Instant) v;
                yield !at.isBefore(span[0]) && at.isBefore(span[1]);
            }
            case NUMBER -> number(o) != null && number(o).compareTo(number(v.toString())) == 0;
            case TEXT -> o.equals(v.toString());
        };
    }

    private boolean compare(Kind kind, Object v, Cond c) {
        String o = c.operands().get(0);
        if (kind == Kind.TIME) {
            Instant at = (Instant) v;
            return switch (c.op()) {
                case GT -> !at.isBefore(Json.parseSpan(o)[1]);
                case GE -> !at.isBefore(Json.parseSpan(o)[0]);
                case LT -> at.isBefore(Json.parseSpan(o)[0]);
                case LE -> at.isBefore(Json.parseSpan(o)[1]);
                default ->
                    (o == null || !at.isBefore(Json.parseSpan(o)[0]))
                            && (c.operands().get(1) == null
                                    || at.isBefore(Json.parseSpan(c.operands().get(1))[1]));
            };
        }
        if (kind != Kind.NUMBER && kind != Kind.TEXT) {
            throw TrackerException.badRequest("Field " + c.field() + " does not support ranges");
        }
        Comparator<String> cmp = kind == Kind.NUMBER
                ? Comparator.comparing(Search::number, Comparator.nullsFirst(Comparator.naturalOrder()))
                : Comparator.naturalOrder();
        String s = v.toString();
        return switch (c.op()) {
            case GT -> cmp.compare(s, o) > 0;
            case GE -> cmp.compare(s, o) >= 0;
            case LT -> cmp.compare(s, o) < 0;
            case LE -> cmp.compare(s, o) <= 0;
            default ->
                (o == null || cmp.compare(s, o) >= 0)
                        && (c.operands().get(1) == null
                                || cmp.compare(s, c.operands().get(1)) <= 0);
        };
    }

    private static BigDecimal number(String s) {
        try {
            return s == null ? null : new BigDecimal(s.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    boolean isText(String field) {
        return field.equals("summary") || field.equals("description");
    }

    private Kind kind(String field) {
        switch (field) {
            case "status", "previousStatus":
                return Kind.STATUS;
            case "type", "priority", "resolution":
                return Kind.DICT;
            case "queue":
                return Kind.QUEUE;
            case "key":
                return Kind.KEY;
            case "assignee", "createdBy", "updatedBy", "followers":
                return Kind.USER;
            case "createdAt", "updatedAt", "resolvedAt", "lastCommentUpdatedAt":
                return Kind.TIME;
            default:
                Field f = catalog.customField(field);
                if (f == null) {
                    return Kind.TEXT;
                }
                return switch (f.type()) {
                    case Field.DATETIME -> Kind.TIME;
                    case Field.INTEGER, Field.FLOAT -> Kind.NUMBER;
                    default -> Kind.TEXT;
                };
        }
    }

    private Comparator<Issue> comparator(List<Sort> sorts) {
        Comparator<Issue> cmp = (a, b) -> 0;
        for (Sort s : sorts) {
            Comparator<Issue> one = Comparator.comparing(
                    (Issue i) -> sortable(i, s.field()), Comparator.nullsLast(Comparator.naturalOrder()));
            cmp = cmp.thenComparing(s.ascending() ? one : nullsLastReversed(s.field()));
        }
        return cmp.thenComparingInt(i -> i.number);
    }

    private Comparator<Issue> nullsLastReversed(String field) {
        return Comparator.comparing(
                (Issue i) -> sortable(i, field), Comparator.nullsLast(Comparator.<Comparable>reverseOrder()));
    }

    @SuppressWarnings({"rawtypes"})
    private Comparable sortable(Issue issue, String field) {
        Object v = issue.value(field);
        if (v instanceof List<?> l) {
            v = l.isEmpty() ? null : l.get(0);
        }
        if (v == null) {
            return null;
        }
        return switch (kind(field)) {
            case KEY -> issue.number;
            case STATUS -> catalog.statusId((String) v);
            case USER -> catalog.user((Long) v).display();
            case NUMBER -> number(v.toString());
            default -> v instanceof Comparable<?> c ? (Comparable) c : v.toString();
        };
    }
}
