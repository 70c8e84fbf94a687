package dispatch.mail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lenient parsing of msg-id lists (Message-ID, In-Reply-To, References) as real mailers write them. */
final class MessageIds {

    /** A bracketed id, or a bare word; taken in header order. */
    private static final Pattern TOKEN = Pattern.compile("<([^<>]*)>|([^\\s<>,;]+)");

    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"");

    private MessageIds() {}

    /**
     * Every msg-id in a header value, normalised: no angle brackets, comments or whitespace. Ids written without
     * brackets are accepted when they look like {@code local@domain}. Duplicates are dropped, order is kept.
     */
    static List<String> parse(String headerValue) {
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
                ids.add(t);
            }
        }
        return new ArrayList<>(ids);
    }

    /** The first msg-id of a header value, or null. */
    static String first(String headerValue) {
        List<String> ids = parse(headerValue);
        return ids.isEmpty() ? null : ids.get(0);
    }

    private static String stripComments(String value) {
        String previous;
        String current = value;
        do {
            previous = current;
            current = COMMENT.matcher(current).replaceAll(" ");
        } while (!current.equals(previous));
        return current;
    }
}
