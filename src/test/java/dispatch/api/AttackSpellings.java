package dispatch.api;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The spellings of a path an attacker tries so that a server component reads it differently from another: percent
 * escapes of plain letters (single and double), case changes, dot segments (plain and encoded), doubled and trailing
 * slashes, matrix parameters, backslashes and encoded slashes, each at every segment.
 */
final class AttackSpellings {

    private AttackSpellings() {}

    static List<String> of(String path) {
        String[] segments = path.substring(1).split("/");
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.isEmpty()) continue;
            String first = hex(s.charAt(0));
            String rest = s.substring(1);
            out.add(replace(segments, i, "%" + first.toLowerCase(Locale.ROOT) + rest));
            out.add(replace(segments, i, "%" + first + rest));
            out.add(replace(segments, i, "%25" + first + rest));
            out.add(replace(segments, i, encodeAll(s)));
            out.add(replace(segments, i, s.toUpperCase(Locale.ROOT)));
            out.add(replace(segments, i, Character.toUpperCase(s.charAt(0)) + rest));
            out.add(replace(segments, i, s + ";x"));
            out.add(replace(segments, i, s + ";"));
            out.add(replace(segments, i, s + ";jsessionid=1"));
            out.add(insertBefore(segments, i, "x/../"));
            out.add(insertBefore(segments, i, "x/..;/"));
            out.add(insertBefore(segments, i, "x/%2e%2e/"));
            out.add(insertBefore(segments, i, "x/%2E%2E/"));
            out.add(insertBefore(segments, i, "./"));
            out.add(insertBefore(segments, i, "%2e/"));
            out.add(insertBefore(segments, i, "/"));
            if (i > 0) {
                for (String slash : List.of("\\", "%5c", "%5C", "%2f", "%2F", "%252F", "/;/", "/./", "//")) {
                    out.add(joinWith(segments, i, slash));
                }
            }
        }
        out.add(path.toUpperCase(Locale.ROOT));
        out.add(path + "/");
        out.add(path + "//");
        out.add(path + "/.");
        out.add(path + "/..");
        out.add(path + ";x");
        out.add(path + "%2F");
        out.add(path + "%00");
        out.add(path + "%20");
        out.add(path + "/..;/");
        out.add("/" + path);
        out.add("/." + path);
        out.remove(path);
        return new ArrayList<>(out);
    }

    private static String hex(char c) {
        return String.format("%02X", (int) c);
    }

    private static String encodeAll(String segment) {
        StringBuilder b = new StringBuilder();
        for (char c : segment.toCharArray()) b.append('%').append(hex(c));
        return b.toString();
    }

    private static String replace(String[] segments, int i, String with) {
        return build(segments.length, j -> j == i ? with : segments[j], "/");
    }

    private static String insertBefore(String[] segments, int i, String prefix) {
        return build(segments.length, j -> j == i ? prefix + segments[j] : segments[j], "/");
    }

    private static String joinWith(String[] segments, int i, String separator) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < segments.length; j++) {
            b.append(j == i ? separator : "/").append(segments[j]);
        }
        return b.toString();
    }

    private static String build(int n, IntFunction<String> segment, String separator) {
        StringBuilder b = new StringBuilder();
        for (int j = 0; j < n; j++) b.append(separator).append(segment.apply(j));
        return b.toString();
    }
}
