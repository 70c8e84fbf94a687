package dispatch.standin.tracker;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The fault plan of a {@link FakeTracker}: a queue of one-shot faults, each optionally scoped to a call pattern
 * such as {@code "POST /issues/"} or {@code "PATCH /issues/*"} ({@code *} = one path segment, {@code **} = the
 * rest; method {@code *} = any; the path is given without {@code /v2} or {@code /v3}), plus an optional seeded
 * random mode. Thread-safe.
 */
public final class Faults {

    private record Planned(String method, Pattern path, String pattern, Fault fault) {}

    private final LinkedList<Planned> planned = new LinkedList<>();
    private final List<String> fired = new ArrayList<>();
    private Random random;
    private double probability;
    private List<Fault> randomKinds = List.of();

    Faults() {}

    /** The next call of any route suffers {@code fault}. */
    public synchronized Faults next(Fault fault) {
        return next("* /**", fault);
    }

    /** The next call matching {@code pattern} (e.g. {@code "POST /issues/"}) suffers {@code fault}. */
    public synchronized Faults next(String pattern, Fault fault) {
        String[] parts = pattern.trim().split("\\s+", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected \"METHOD /path\", got: " + pattern);
        }
        if (parts[1].matches("/v[23](/.*)?")) {
            // The router matches paths without their version: such a fault would never fire.
            throw new IllegalArgumentException("give the path without /v2 or /v3, got: " + pattern);
        }
        planned.add(new Planned(parts[0].toUpperCase(), glob(parts[1]), pattern, fault));
        return this;
    }

    /** Each call fails with probability {@code p}, drawing from 503, 429 (Retry-After 0), drop and apply-then-drop. */
    public synchronized Faults failRandomly(double p, long seed) {
        return failRandomly(
                p, seed, Fault.respond5xx(503), Fault.respond429(0), Fault.dropConnection(), Fault.applyThenDrop());
    }

    /** Each call fails with probability {@code p} with one of {@code kinds}, reproducibly for a seed. */
    public synchronized Faults failRandomly(double p, long seed, Fault... kinds) {
        if (p < 0 || p > 1 || kinds.length == 0) {
            throw new IllegalArgumentException("need 0 <= p <= 1 and at least one fault kind");
        }
        this.random = new Random(seed);
        this.probability = p;
        this.randomKinds = List.of(kinds);
        return this;
    }

    public synchronized Faults stopFailingRandomly() {
        random = null;
        return this;
    }

    /** Drops every planned fault, stops random failures and forgets what fired. */
    public synchronized void clear() {
        planned.clear();
        fired.clear();
        random = null;
    }

    public synchronized int pending() {
        return planned.size();
    }

    /** What fired so far, as {@code "POST /issues/ -> ApplyThenDrop[]"}, in order. */
    public synchronized List<String> fired() {
        return List.copyOf(fired);
    }

    /** The fault for this call, consumed; null for none. {@code route} is the template, {@code path} the real one. */
    synchronized Fault take(String method, String route, String path) {
        Iterator<Planned> it = planned.iterator();
        while (it.hasNext()) {
            Planned p = it.next();
            boolean methodOk = p.method.equals("*") || p.method.equals(method);
            if (methodOk
                    && (p.path.matcher(route).matches() || p.path.matcher(path).matches())) {
                it.remove();
                return record(method, path, p.fault);
            }
        }
        if (random != null && random.nextDouble() < probability) {
            return record(method, path, randomKinds.get(random.nextInt(randomKinds.size())));
        }
        return null;
    }

    private Fault record(String method, String path, Fault fault) {
        fired.add(method + " " + path + " -> " + fault);
        return fault;
    }

    /** Trailing slashes are ignored on both sides, so {@code /issues/} and {@code /issues} are one pattern. */
    private static Pattern glob(String path) {
        String p = trim(path);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '*' && i + 1 < p.length() && p.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re + "/?");
    }

    static String trim(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
