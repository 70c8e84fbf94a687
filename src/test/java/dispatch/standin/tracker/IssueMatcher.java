package dispatch.standin.tracker;

import dispatch.standin.tracker.FakeTracker.Field;
import dispatch.standin.tracker.Search.Clause;
import dispatch.standin.tracker.Search.Cond;
import dispatch.standin.tracker.Search.Op;
import dispatch.standin.tracker.Search.Plan;
import dispatch.standin.tracker.Search.Sort;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** Evaluates a search {@link Plan} against issues: matching by field kind, then sorting. */
final class IssueMatcher {

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

    private final Catalog catalog;

    IssueMatcher(Catalog catalog) {
        this.catalog = catalog;
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
                ? Comparator.comparing(IssueMatcher::number, Comparator.nullsFirst(Comparator.naturalOrder()))
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
