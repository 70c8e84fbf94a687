package dispatch.mail;

import java.util.Map;

/** Safe attachment names: the last path segment, harmless characters only, never empty. */
final class FileNames {

    private static final int MAX_LENGTH = 200;
    private static final Map<String, String> EXTENSIONS = Map.of(
            "application/pdf", ".pdf",
            "image/png", ".png",
            "image/jpeg", ".jpg",
            "image/gif", ".gif",
            "text/plain", ".txt",
            "text/html", ".html",
            "application/msword", ".doc",
            "message/rfc822", ".eml");

    private FileNames() {}

    static String sanitise(String name, String contentType) {
        String n = name == null ? "" : name.strip();
        int slash = Math.max(n.lastIndexOf('/'), n.lastIndexOf('\\'));
        n = n.substring(slash + 1);
        StringBuilder out = new StringBuilder();
        n.codePoints()
                .forEach(c -> out.appendCodePoint(
                        Character.isLetterOrDigit(c)
                                        || c == ' '
                                        || c == '.'
                                        || c == '-'
                                        || c == '_'
                                        || c == '('
                                        || c == ')'
                                ? c
                                : '_'));
        String result = stripDotsAndSpaces(out);
        if (result.isBlank() || result.chars().allMatch(c -> c == '_' || c == '.')) {
            result = "attachment" + EXTENSIONS.getOrDefault(contentType, "");
        }
        return result.length() > MAX_LENGTH ? result.substring(result.length() - MAX_LENGTH) : result;
    }

    /** Without leading and trailing dots and spaces (by hand: the regex for it is quadratic on a long run). */
    private static String stripDotsAndSpaces(CharSequence s) {
        int start = 0;
        int end = s.length();
        while (start < end && (s.charAt(start) == ' ' || s.charAt(start) == '.')) start++;
        while (end > start && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '.')) end--;
        return s.subSequence(start, end).toString();
    }
}
