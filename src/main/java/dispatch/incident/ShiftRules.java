package dispatch.incident;

import dispatch.sla.WorkCalendar;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dispatchers' shifts as the shifts file gives them (format in docs/dispatchers.md): weekly hours per login in
 * the desk's time zone, and dates off. Pure: parsing and "who is on shift at this instant".
 */
record ShiftRules(List<Hours> hours, List<DaysOff> daysOff, ZoneId zone) {

    /** {@code login} works on {@code days} from {@code start} to {@code end}; an end not after the start is the next day. */
    record Hours(String login, Set<DayOfWeek> days, LocalTime start, LocalTime end, boolean untilMidnight) {

        boolean covers(LocalDateTime at) {
            LocalTime time = at.toLocalTime();
            DayOfWeek day = at.getDayOfWeek();
            if (untilMidnight) return days.contains(day) && !time.isBefore(start);
            if (start.isBefore(end)) return days.contains(day) && !time.isBefore(start) && time.isBefore(end);
            return (days.contains(day) && !time.isBefore(start)) || (days.contains(day.minus(1)) && time.isBefore(end));
        }
    }

    /** {@code login} is off from {@code first} to {@code last}, both included. */
    record DaysOff(String login, LocalDate first, LocalDate last) {

        boolean covers(LocalDate date) {
            return !date.isBefore(first) && !date.isAfter(last);
        }
    }

    private static final Pattern HOURS =
            Pattern.compile("(\\S+)\\s+([a-z,\\-]+)\\s+(\\d{1,2}:\\d{2})-(\\d{1,2}:\\d{2})", Pattern.CASE_INSENSITIVE);
    private static final Pattern OFF = Pattern.compile(
            "(\\S+)\\s+off\\s+(\\d{4}-\\d{2}-\\d{2})(?:\\.\\.(\\d{4}-\\d{2}-\\d{2}))?", Pattern.CASE_INSENSITIVE);

    /** Reads the file's lines; a line that does not parse is an error naming its number. */
    static ShiftRules parse(List<String> lines, ZoneId zone) {
        List<Hours> hours = new ArrayList<>();
        List<DaysOff> off = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) continue;
            try {
                Matcher m = OFF.matcher(line);
                if (m.matches()) {
                    LocalDate first = LocalDate.parse(m.group(2));
                    LocalDate last = m.group(3) == null ? first : LocalDate.parse(m.group(3));
                    if (last.isBefore(first)) throw new IllegalArgumentException("the range ends before it starts");
                    off.add(new DaysOff(m.group(1).toLowerCase(Locale.ROOT), first, last));
                    continue;
                }
                m = HOURS.matcher(line);
                if (!m.matches())
                    throw new IllegalArgumentException(
                            "expected '<login> <days> HH:MM-HH:MM' or '<login> off YYYY-MM-DD[..YYYY-MM-DD]'");
                boolean untilMidnight = m.group(4).equals("24:00");
                hours.add(new Hours(
                        m.group(1).toLowerCase(Locale.ROOT),
                        WorkCalendar.days(m.group(2)),
                        WorkCalendar.time(m.group(3)),
                        untilMidnight ? LocalTime.MIDNIGHT : WorkCalendar.time(m.group(4)),
                        untilMidnight));
            } catch (IllegalArgumentException | DateTimeException e) {
                throw new IllegalArgumentException("line " + (i + 1) + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return new ShiftRules(List.copyOf(hours), List.copyOf(off), zone);
    }

    /** The logins (lower case) on shift at {@code now}: working hours cover it and the day is not off. */
    Set<String> onShift(Instant now) {
        LocalDateTime local = LocalDateTime.ofInstant(now, zone);
        Set<String> on = new LinkedHashSet<>();
        for (Hours h : hours) {
            if (h.covers(local)) on.add(h.login());
        }
        for (DaysOff d : daysOff) {
            if (d.covers(local.toLocalDate())) on.remove(d.login());
        }
        return on;
    }
}
