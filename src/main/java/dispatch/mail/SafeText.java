package dispatch.mail;

/**
 * Text as PostgreSQL and JSON accept it: no NUL characters (a {@code text} column refuses them) and no lone UTF-16
 * surrogates (invalid in UTF-8, so refused too); cut to a length without splitting a surrogate pair.
 */
final class SafeText {

    private SafeText() {}

    /** Without NULs; a lone surrogate becomes U+FFFD. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        int n = s.length();
        int i = 0;
        while (i < n && s.charAt(i) != 0 && !Character.isSurrogate(s.charAt(i))) {
            i++;
        }
        if (i == n) {
            return s;
        }
        StringBuilder b = new StringBuilder(n).append(s, 0, i);
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }

    /** At most {@code max} characters, never half a surrogate pair. */
    static String truncate(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }
}
