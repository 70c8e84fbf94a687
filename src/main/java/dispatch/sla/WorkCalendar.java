package dispatch.sla;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A business calendar (format in docs/sla.md, "Business calendars"): working hours per weekday in the desk's time
 * zone, dates without work (holidays), and dates with their own hours (a Saturday worked instead of a holiday, a short
 * day before one). Pure: parsing, and working time between instants.
 */
public final class WorkCalendar {

    /** Working time on one day, {@code [start, end)}; {@code untilMidnight} ends it at the next day's start. */
    private record Span(LocalTime start, LocalTime end, boolean untilMidnight) {}

    /** How far ahead a deadline is looked for: a calendar with no working day in ten years is a mistake. */
    private static final int MAX_DAYS = 3660;

    private static final Pattern SPAN = Pattern.compile("(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern WEEKDAYS = Pattern.compile("[a-z,\\-]+");
    private static final Map<String, DayOfWeek> DAYS = Map.of(
            "mon", DayOfWeek.MONDAY,
            "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY,
            "thu", DayOfWeek.THURSDAY,
            "fri", DayOfWeek.FRIDAY,
            "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    private final Map<DayOfWeek, List<Span>> weekly;
    private final Map<LocalDate, List<Span>> dated;
    private final ZoneId zone;

    private WorkCalendar(Map<DayOfWeek, List<Span>> weekly, Map<LocalDate, List<Span>> dated, ZoneId zone) {
        this.weekly = weekly;
        this.dated = dated;
        this.zone = zone;
    }

    /**
     * Reads a calendar file's lines: {@code mon-fri 09:00-18:00} (weekly hours; several spans per line or lines per
     * day add up), {@code 2027-01-01} (no work that date), {@code 2027-01-09 09:00-18:00} (that date's hours instead of
     * its weekday's). {@code #} starts a comment. A line that does not parse is an error naming its number.
     */
    public static WorkCalendar parse(List<String> lines, ZoneId zone) {
        Map<DayOfWeek, List<Span>> weekly = new EnumMap<>(DayOfWeek.class);
        Map<LocalDate, List<Span>> dated = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip().toLowerCase(Locale.ROOT);
            if (line.isEmpty()) continue;
            try {
                String[] words = line.split("\\s+", 2);
                String rest = words.length == 2 ? words[1] : null;
                if (DATE.matcher(words[0]).matches()) {
                    List<Span> spans = rest == null ? List.of() : spans(rest);
                    if (dated.putIfAbsent(LocalDate.parse(words[0]), spans) != null) {
                        throw new IllegalArgumentException("date given twice");
                    }
                    continue;
                }
                if (rest == null || !WEEKDAYS.matcher(words[0]).matches()) {
                    throw new IllegalArgumentException(
                            "expected '<days> HH:MM-HH:MM', 'YYYY-MM-DD' or 'YYYY-MM-DD HH:MM-HH:MM'");
                }
                List<Span> spans = spans(rest);
                for (DayOfWeek day : days(words[0])) {
                    weekly.computeIfAbsent(day, d -> new ArrayList<>()).addAll(spans);
                }
            } catch (IllegalArgumentException | DateTimeException e) {
                String shown = line.length() > 60 ? line.substring(0, 60) + "…" : line;
                throw new IllegalArgumentException("line " + (i + 1) + " '" + shown + "': " + e.getMessage(), e);
            }
        }
        if (weekly.isEmpty())
            throw new IllegalArgumentException("no weekly working hours (e.g. 'mon-fri 09:00-18:00')");
        weekly.replaceAll((day, spans) -> sorted(spans, day.toString()));
        dated.replaceAll((date, spans) -> sorted(spans, date.toString()));
        return new WorkCalendar(weekly, dated, zone);
    }

    /** The instant at which {@code work} of working time has passed since {@code start}. */
    public Instant plus(Instant start, Duration work) {
        if (work.isZero() || work.isNegative()) return start;
        Duration left = work;
        LocalDate date = LocalDate.ofInstant(start, zone);
        for (int n = 0; n < MAX_DAYS; n++, date = date.plusDays(1)) {
            for (Span span : spans(date)) {
                Instant from = later(start, begin(date, span));
                Instant to = end(date, span);
                if (!to.isAfter(from)) continue;
                Duration open = Duration.between(from, to);
                if (left.compareTo(open) <= 0) return from.plus(left);
                left = left.minus(open);
            }
        }
        throw new IllegalStateException("no working time within " + MAX_DAYS + " days after " + start);
    }

    /** Working time in {@code [from, to)}; zero when {@code to} is not after {@code from}. */
    public Duration between(Instant from, Instant to) {
        Duration sum = Duration.ZERO;
        if (!to.isAfter(from)) return sum;
        for (LocalDate date = LocalDate.ofInstant(from, zone);
                !date.isAfter(LocalDate.ofInstant(to, zone));
                date = date.plusDays(1)) {
            for (Span span : spans(date)) {
                Instant a = later(from, begin(date, span));
                Instant b = end(date, span);
                if (b.isAfter(to)) b = to;
                if (b.isAfter(a)) sum = sum.plus(Duration.between(a, b));
            }
        }
        return sum;
    }

    private List<Span> spans(LocalDate date) {
        List<Span> spans = dated.get(date);
        return spans != null ? spans : weekly.getOrDefault(date.getDayOfWeek(), List.of());
    }

    private Instant begin(LocalDate date, Span span) {
        return date.atTime(span.start()).atZone(zone).toInstant();
    }

    private Instant end(LocalDate date, Span span) {
        return span.untilMidnight()
                ? date.plusDays(1).atStartOfDay(zone).toInstant()
                : date.atTime(span.end()).atZone(zone).toInstant();
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static List<Span> spans(String text) {
        List<Span> spans = new ArrayList<>();
        for (String part : text.split("[\\s,]+")) {
            Matcher m = SPAN.matcher(part);
            if (!m.matches()) {
                String shown = part.length() > 20 ? part.substring(0, 20) + "…" : part;
                throw new IllegalArgumentException("bad hours '" + shown + "' (HH:MM-HH:MM)");
            }
            boolean untilMidnight = m.group(2).equals("24:00");
            LocalTime start = time(m.group(1));
            LocalTime end = untilMidnight ? LocalTime.MIDNIGHT : time(m.group(2));
            if (!untilMidnight && !end.isAfter(start)) {
                throw new IllegalArgumentException(
                        "hours '" + part + "' end before they start (use 24:00 for midnight)");
            }
            spans.add(new Span(start, end, untilMidnight));
        }
        return spans;
    }

    private static List<Span> sorted(List<Span> spans, String day) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort(Comparator.comparing(Span::start));
        for (int i = 1; i < sorted.size(); i++) {
            Span before = sorted.get(i - 1);
            if (before.untilMidnight() || before.end().isAfter(sorted.get(i).start())) {
                throw new IllegalArgumentException("hours overlap on " + day.toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(sorted);
    }

    /**
     * Weekdays as calendar and shift files write them: {@code mon}, ranges ({@code mon-fri}, also across Sunday:
     * {@code fri-mon}) and lists ({@code sat,sun}), any case.
     */
    public static Set<DayOfWeek> days(String text) {
        Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String part : text.toLowerCase(Locale.ROOT).split(",")) {
            String[] range = part.split("-", -1);
            if (range.length > 2) throw new IllegalArgumentException("bad days '" + part + "'");
            DayOfWeek from = day(range[0]);
            DayOfWeek to = range.length == 2 ? day(range[1]) : from;
            for (DayOfWeek d = from; ; d = d.plus(1)) {
                days.add(d);
                if (d == to) break;
            }
        }
        return days;
    }

    private static DayOfWeek day(String name) {
        DayOfWeek day = DAYS.get(name.strip());
        if (day == null) throw new IllegalArgumentException("unknown day '" + name + "' (mon, tue, … sun)");
        return day;
    }

    /** {@code H:MM} or {@code HH:MM}. */
    public static LocalTime time(String text) {
        return LocalTime.parse(text.length() == 4 ? "0" + text : text);
    }
}
