package dispatch.incident;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** A mail's subject as an incident's summary: its reply and forward prefixes ("Re:", "Fwd[2]:", "Отв:") removed. */
final class Subjects {

    /** One reply or forward prefix; {@link #clean} strips them one at a time. */
    private static final Pattern REPLY_PREFIX = Pattern.compile(
            "\\s*(re|fw|fwd|aw|wg|ответ|отв|пересл)\\s*(\\[\\d+])?\\s*:\\s*",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    /** The length of {@code incident.summary} less room for nothing: the summary column holds 1024 characters. */
    private static final int MAX = 1000;

    private Subjects() {}

    /** The subject without its leading reply and forward prefixes, at most 1000 characters; null when none is left. */
    static @Nullable String clean(@Nullable String subject) {
        if (subject == null) {
            return null;
        }
        // A loop, not "(prefix)+": a regex repeats a group by recursion, and thousands of "Re: " overflow the stack.
        Matcher prefix = REPLY_PREFIX.matcher(subject);
        int start = 0;
        while (prefix.region(start, subject.length()).lookingAt() && prefix.end() > start) {
            start = prefix.end();
        }
        String clean = subject.substring(start).strip();
        if (clean.isEmpty()) return null;
        return clean.length() > MAX ? clean.substring(0, MAX) : clean;
    }
}
