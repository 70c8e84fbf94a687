package dispatch.mail;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Lenient parsing of msg-id lists (Message-ID, In-Reply-To, References) as real mailers write them. */
final class MessageIds {

    private static final Pattern BRACKETED = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");

    private MessageIds() {}

    /**
     * Every msg-id in a header value, normalised: no angle brackets, comments or whitespace. Ids written without
     * brackets are accepted when they look like {@code local@domain}. Duplicates are dropped, order is kept.
     */
    static List<String> parse(String headerValue) {
        if (headerValue == null || headerValue.isBlank()) {
            return List.of();
        }
        String value = stripComments(headerValue);
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        Matcher m = BRACKETED.matcher(value);
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (m.find()) {
            ids.add(m.group(1));
            rest.append(value, last, m.start()).append(' ');
            last = m.end();
        }
        rest.append(value.substring(last));
        for (String token : rest.toString().split("[\\s,;]+")) {
            String t = token.replace("<", "").replace(">", "");
            if (t.indexOf('@') > 0 && t.indexOf('@') < t.length() - 1) {
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
