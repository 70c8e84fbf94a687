package dispatch.mail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Lenient parsing of msg-id lists (Message-ID, In-Reply-To, References) as real mailers write them. */
public final class MessageIds {

    /** A bracketed id, or a bare word; taken in header order. */
    private static final Pattern TOKEN = Pattern.compile("<([^<>]*)>|([^\\s<>,;]+)");

    /** Longer ids are stored as a hash ({@link #bounded}); RFC 5322 allows 998, real ones are under 100. */
    static final int MAX_LENGTH = 250;

    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");

    private MessageIds() {}

    /**
     * Every msg-id in a header value, normalised: no angle brackets, comments or whitespace. Ids written without
     * brackets are accepted when they look like {@code local@domain}. Duplicates are dropped, order is kept.
     */
    static List<String> parse(@Nullable String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return List.of();
        }
        String value = QUOTED.matcher(stripComments(headerValue.replaceAll("[\\r\\n]+", " ")))
                .replaceAll(" ");
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        Matcher m = TOKEN.matcher(value);
        while (m.find()) {
            String t = m.group(1) != null ? m.group(1).strip() : m.group(2);
            int at = t.indexOf('@');
            if (at > 0 && at < t.length() - 1) {
                ids.add(bounded(t));
            }
        }
        return new ArrayList<>(ids);
    }

    /**
     * The first msg-id of a header value as Dispatch stores and looks it up, or null. Other features that bring in
     * ids from elsewhere (the old service kept them with angle brackets) use it so they match.
     */
    public static @Nullable String first(@Nullable String headerValue) {
        List<String> ids = parse(headerValue);
        return ids.isEmpty() ? null : ids.get(0);
    }

    /**
     * Without (nested) comments, each replaced by a space; an unclosed "(" stays. One pass over the text (a regex
     * removing the innermost comment again and again is quadratic on thousands of nested parentheses).
     */
    static String stripComments(String value) {
        int n = value.length();
        int[] depthChange = new int[n + 1];
        java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c == '(') {
                open.push(i);
            } else if (c == ')' && !open.isEmpty()) {
                depthChange[open.pop()]++;
                depthChange[i + 1]--;
            }
        }
        StringBuilder out = new StringBuilder(n);
        int depth = 0;
        for (int i = 0; i < n; i++) {
            int before = depth;
            depth += depthChange[i];
            if (depth == 0) {
                out.append(value.charAt(i));
            } else if (before == 0) {
                out.append(' ');
            }
        }
        return out.toString();
    }

    /**
     * An id as stored: ids longer than {@link #MAX_LENGTH} become a hash of themselves, the same wherever the id
     * appears (Message-ID, In-Reply-To, References), so threading still finds the mail.
     */
    static String bounded(String id) {
        if (id == null || id.length() <= MAX_LENGTH) {
            return id;
        }
        byte[] hash = FileStore.sha256().digest(id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "sha256-" + java.util.HexFormat.of().formatHex(hash) + "@long-id.dispatch";
    }
}
