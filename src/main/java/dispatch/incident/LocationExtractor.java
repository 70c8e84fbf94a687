package dispatch.incident;

import dispatch.towerstore.TowerStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Finds the pole and base station a mail talks about (docs/domain.md, "Mail"), subject first, then body: tokens with at least
 * four digits, looked up in TowerStore. Unlike the old service it skips dates, times, phone numbers, IP and e-mail
 * addresses, prefers a base station whose pole was also named, and reports an ambiguous match as such instead of
 * silently taking the lowest id.
 */
@Component
class LocationExtractor {

    /** What was found: the pole and base station ids (null when none or ambiguous) and a note for people. */
    record Location(Long poleId, Long baseStationId, String note) {

        static final Location NONE = new Location(null, null, null);

        boolean found() {
            return poleId != null;
        }
    }

    private static final Pattern SEPARATORS = Pattern.compile("[\\[\\](){}:|,;'\"`/\\\\]|\\.(?=\\s|$)");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern IP = Pattern.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b");
    private static final Pattern DATE = Pattern.compile("\\b\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}\\b");
    private static final Pattern TIME = Pattern.compile("\\b\\d{1,2}:\\d{2}(:\\d{2})?\\b");
    private static final Pattern PHONE =
            Pattern.compile("(?<![\\w-])(\\+7|8)[\\s(-]*\\d{3}[\\s)-]*\\d{3}[\\s-]*\\d{2}[\\s-]*\\d{2}(?![\\w-])");
    private static final Pattern POLE_PREFIX = Pattern.compile("^\\d{5}-.*");
    private static final int MIN_DIGITS = 4;
    /** No pole code or base-station name is longer; longer words are not looked up. */
    private static final int MAX_TOKEN = 64;

    private final TowerStore towerStore;

    LocationExtractor(TowerStore towerStore) {
        this.towerStore = towerStore;
    }

    Location find(String subject, String body) {
        Location inSubject = findIn(subject);
        return inSubject.found() || inSubject.note() != null ? inSubject : findIn(body);
    }

    Location findIn(String text) {
        if (text == null || text.isBlank()) {
            return Location.NONE;
        }
        Set<String> tokens = tokens(text);
        Set<String> prefixes = new LinkedHashSet<>();
        tokens.stream().filter(t -> POLE_PREFIX.matcher(t).matches()).forEach(prefixes::add);
        TowerStore.Hits found = towerStore.lookUp(tokens, prefixes, 5);
        List<TowerStore.Pole> poles = new ArrayList<>();
        String poleToken = null;
        for (String token : tokens) {
            List<TowerStore.Pole> hits = found.polesByCode(token);
            if (hits.isEmpty() && prefixes.contains(token)) {
                hits = found.polesByCodePrefix(token);
            }
            if (!hits.isEmpty() && (poleToken == null || token.length() > poleToken.length())) {
                poles = hits;
                poleToken = token;
            }
        }
        List<TowerStore.BaseStation> stations = new ArrayList<>();
        for (String token : tokens) {
            stations.addAll(found.baseStationsByName(token));
        }
        List<TowerStore.Pole> namedPoles = poles;
        List<TowerStore.BaseStation> onNamedPole = stations.stream()
                .filter(bs ->
                        namedPoles.stream().anyMatch(p -> p.id() == bs.pole().id()))
                .toList();
        List<TowerStore.BaseStation> candidates = onNamedPole.isEmpty() ? stations : onNamedPole;
        Set<Long> candidatePoles = new LinkedHashSet<>();
        candidates.forEach(bs -> candidatePoles.add(bs.pole().id()));
        if (candidates.size() == 1) {
            TowerStore.BaseStation bs = candidates.get(0);
            return new Location(bs.pole().id(), bs.id(), null);
        }
        if (candidates.size() > 1) {
            if (candidatePoles.size() == 1) {
                return new Location(
                        candidatePoles.iterator().next(), null, "several base stations named: " + names(candidates));
            }
            return new Location(null, null, "ambiguous base station: " + names(candidates));
        }
        if (poles.size() == 1) {
            return new Location(poles.get(0).id(), null, null);
        }
        if (poles.size() > 1) {
            return new Location(null, null, "ambiguous pole code " + poleToken + ": " + poles.size() + " poles");
        }
        return Location.NONE;
    }

    /** Tokens that could be a pole code or base-station name (at least four digits), noise removed first. */
    static Set<String> tokens(String text) {
        String cleaned = withoutAddresses(text);
        for (Pattern noise : List.of(IP, PHONE, DATE, TIME)) {
            cleaned = noise.matcher(cleaned).replaceAll(" ");
        }
        cleaned = SEPARATORS.matcher(cleaned).replaceAll(" ");
        Set<String> tokens = new LinkedHashSet<>();
        for (String token : WHITESPACE.split(cleaned)) {
            String t = trim(token);
            if (t.length() <= MAX_TOKEN && t.chars().filter(Character::isDigit).count() >= MIN_DIGITS) {
                tokens.add(t);
            }
        }
        return tokens;
    }

    /**
     * Without e-mail addresses (a word with an "@" inside) and URLs (from "http://", "https://" or "ftp://" to the end
     * of the word). Word by word, in one pass: the regexes for them ({@code \\S+@\\S+}) are quadratic on a long run
     * of non-space characters.
     */
    static String withoutAddresses(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            if (Character.isWhitespace(text.charAt(i))) {
                out.append(text.charAt(i++));
                continue;
            }
            int end = i;
            while (end < n && !Character.isWhitespace(text.charAt(end))) end++;
            String word = text.substring(i, end);
            int at = word.indexOf('@');
            if (at > 0 && at < word.length() - 1) {
                out.append(' ');
            } else {
                int url = urlStart(word);
                out.append(url < 0 ? word : word.substring(0, url) + " ");
            }
            i = end;
        }
        return out.toString();
    }

    private static int urlStart(String word) {
        String lower = word.toLowerCase(java.util.Locale.ROOT);
        int best = -1;
        for (String scheme : new String[] {"http://", "https://", "ftp://"}) {
            for (int from = 0; (from = lower.indexOf(scheme, from)) >= 0; from++) {
                if (from == 0 || !Character.isLetterOrDigit(lower.charAt(from - 1)) && lower.charAt(from - 1) != '_') {
                    best = best < 0 ? from : Math.min(best, from);
                    break;
                }
            }
        }
        return best;
    }

    /** Without leading and trailing "-", "_" and "." (by hand: the regex for it is quadratic on a long run). */
    private static String trim(String token) {
        int start = 0;
        int end = token.length();
        while (start < end && "-_.".indexOf(token.charAt(start)) >= 0) start++;
        while (end > start && "-_.".indexOf(token.charAt(end - 1)) >= 0) end--;
        return token.substring(start, end);
    }

    private static String names(List<TowerStore.BaseStation> stations) {
        return String.join(
                ", ",
                stations.stream()
                        .map(bs -> bs.name() + " (" + bs.pole().code() + ")")
                        .toList());
    }
}
