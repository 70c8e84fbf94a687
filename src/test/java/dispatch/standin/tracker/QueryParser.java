package dispatch.standin.tracker;

import dispatch.standin.tracker.Search.Clause;
import dispatch.standin.tracker.Search.Cond;
import dispatch.standin.tracker.Search.Op;
import dispatch.standin.tracker.Search.Plan;
import dispatch.standin.tracker.Search.Sort;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A subset of Tracker's query language: {@code Param: value, "other value"} conditions joined by spaces/AND and by
 * OR (AND binds first), comparisons {@code > >= < <= ! #}, ranges {@code a..b}, the functions {@code empty()},
 * {@code notEmpty()}, {@code me()}, {@code now()}, {@code today()}, {@code unresolved()}, and {@code "Sort By":
 * Field ASC|DESC, ...}. Parentheses and date arithmetic are rejected with 400.
 */
final class QueryParser {

    private enum T {
        WORD,
        STRING,
        FUNC,
        COLON,
        COMMA,
        OP,
        RANGE
    }

    private record Tok(T type, String text) {}

    private final Search search;
    private final Catalog catalog;
    private List<Tok> toks;
    private int pos;

    QueryParser(Search search, Catalog catalog) {
        this.search = search;
        this.catalog = catalog;
    }

    Plan parse(String query) {
        toks = tokenize(query);
        pos = 0;
        List<List<Clause>> groups = new ArrayList<>();
        List<Clause> group = new ArrayList<>();
        groups.add(group);
        List<Sort> sort = new ArrayList<>();
        while (pos < toks.size()) {
            Tok t = toks.get(pos++);
            if (t.type == T.WORD && t.text.equals("AND")) {
                continue;
            }
            if (t.type == T.WORD && t.text.equals("OR")) {
                group = new ArrayList<>();
                groups.add(group);
                continue;
            }
            if (t.type != T.WORD && t.type != T.STRING) {
                throw error("unexpected '" + t.text + "'");
            }
            expect(T.COLON);
            if (t.text.equalsIgnoreCase("sort by")) {
                sort.addAll(sorts());
            } else {
                group.add(clause(search.field(t.text)));
            }
        }
        if (sort.isEmpty()) {
            sort.add(new Sort("key", true));
        }
        return new Plan(groups, sort);
    }

    private List<Sort> sorts() {
        List<Sort> out = new ArrayList<>();
        do {
            Tok f = next();
            boolean asc = true;
            if (pos < toks.size()
                    && toks.get(pos).type == T.WORD
                    && toks.get(pos).text.matches("(?i)asc|desc")) {
                asc = toks.get(pos++).text.equalsIgnoreCase("asc");
            }
            out.add(new Sort(search.field(f.text), asc));
        } while (accept(T.COMMA));
        return out;
    }

    private Clause clause(String field) {
        List<Cond> conds = new ArrayList<>();
        do {
            String op = accept(T.OP) ? toks.get(pos - 1).text : null;
            Tok value = next();
            if (accept(T.RANGE)) {
                conds.add(new Cond(field, Op.RANGE, List.of(resolve(value), resolve(next()))));
                continue;
            }
            if (value.type == T.FUNC && value.text.equalsIgnoreCase("empty()")) {
                conds.add(new Cond(field, "!".equals(op) ? Op.NOT_EMPTY : Op.EMPTY, List.of()));
                continue;
            }
            if (value.type == T.FUNC && value.text.matches("(?i)notEmpty\\(\\)|unresolved\\(\\)")) {
                boolean unresolved = value.text.toLowerCase(Locale.ROOT).startsWith("unresolved");
                conds.add(new Cond(unresolved ? "resolution" : field, unresolved ? Op.EMPTY : Op.NOT_EMPTY, List.of()));
                continue;
            }
            conds.add(new Cond(field, op(op, field), List.of(resolve(value))));
        } while (accept(T.COMMA));
        return new Clause(conds);
    }

    private Op op(String op, String field) {
        if (op == null) {
            return search.isText(field) ? Op.CONTAINS : Op.EQ;
        }
        return switch (op) {
            case ">" -> Op.GT;
            case ">=" -> Op.GE;
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case "#" -> Op.EQ;
            default -> Op.NE; // "!" and "~"
        };
    }

    private String resolve(Tok value) {
        if (value.type != T.FUNC) {
            return value.text;
        }
        return switch (value.text.toLowerCase(Locale.ROOT)) {
            case "me()" -> String.valueOf(catalog.apiUser().uid());
            case "now()" -> Json.format(search.now());
            case "today()" -> LocalDate.ofInstant(search.now(), ZoneOffset.UTC).toString();
            default -> throw error("function " + value.text + " is not supported by the fake");
        };
    }

    private Tok next() {
        if (pos >= toks.size()) {
            throw error("unexpected end of query");
        }
        Tok t = toks.get(pos++);
        if (t.type != T.WORD && t.type != T.STRING && t.type != T.FUNC) {
            throw error("unexpected '" + t.text + "'");
        }
        return t;
    }

    private boolean accept(T type) {
        if (pos < toks.size() && toks.get(pos).type == type) {
            pos++;
            return true;
        }
        return false;
    }

    private void expect(T type) {
        if (!accept(type)) {
            throw error("expected " + type);
        }
    }

    private static TrackerException error(String message) {
        return TrackerException.badRequest("Query parse error: " + message);
    }

    private static List<Tok> tokenize(String q) {
        List<Tok> out = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = q.indexOf('"', i + 1);
                if (end < 0) {
                    throw error("unterminated quote");
                }
                out.add(new Tok(T.STRING, q.substring(i + 1, end)));
                i = end + 1;
            } else if (c == ':' || c == ',') {
                out.add(new Tok(c == ':' ? T.COLON : T.COMMA, String.valueOf(c)));
                i++;
            } else if (q.startsWith("..", i)) {
                out.add(new Tok(T.RANGE, ".."));
                i += 2;
            } else if (c == '>' || c == '<') {
                boolean eq = i + 1 < q.length() && q.charAt(i + 1) == '=';
                out.add(new Tok(T.OP, eq ? c + "=" : String.valueOf(c)));
                i += eq ? 2 : 1;
            } else if (c == '!' || c == '#' || c == '~') {
                out.add(new Tok(T.OP, String.valueOf(c)));
                i++;
            } else if (c == '('
                    || c == ')'
                    || c == '+'
                    || c == '-' && out.size() > 0 && out.get(out.size() - 1).type == T.FUNC) {
                throw error("parentheses and date arithmetic are not supported by the fake");
            } else {
                int start = i;
                while (i < q.length()
                        && !Character.isWhitespace(q.charAt(i))
                        && ":,\"<>()".indexOf(q.charAt(i)) < 0
                        && !q.startsWith("..", i)) {
                    i++;
                }
                if (q.startsWith("()", i)) {
                    out.add(new Tok(T.FUNC, q.substring(start, i) + "()"));
                    i += 2;
                } else {
                    out.add(new Tok(T.WORD, q.substring(start, i)));
                }
            }
        }
        return out;
    }
}
