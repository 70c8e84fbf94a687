package dispatch.autoreply;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The recipients of one auto-reply, checked one by one: only an address that parses strictly and looks like a mailbox
 * on the Internet (ASCII, one {@code @}, a dotted host name) is used; the dispatch mailbox's own addresses and
 * duplicates are skipped (case-insensitive); an address that bounced hard lately is not mailed; past the limit nobody
 * more is added. What is dropped is named, so the
 * dispatcher reads in Tracker who did not get the mail. Recipients come from mail headers and web-form JSON, that
 * is, from the sender.
 */
final class Addresses {

    private static final Pattern MAILBOX = Pattern.compile(
            "[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\\.)+"
                    + "[A-Za-z]([A-Za-z0-9-]*[A-Za-z0-9])?");

    /** How many dropped addresses are named; the rest are counted. */
    static final int NAMED = 20;

    private final List<String> own;
    private final int limit;
    private final Set<String> bounced;
    private final Map<String, Integer> droppedFor = new TreeMap<>();
    private final List<String> to = new ArrayList<>();
    private final List<String> cc = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private int droppedUnnamed;

    /**
     * @param own the dispatch mailbox's addresses (never a recipient of its own)
     * @param limit how many recipients one auto-reply may have, To and Cc together (the mailbox's own copy aside)
     * @param bounced addresses (lower case) a hard bounce named lately: not mailed
     */
    Addresses(List<String> own, int limit, Set<String> bounced) {
        this.own = own.stream().map(a -> a.strip().toLowerCase(Locale.ROOT)).toList();
        this.limit = limit;
        this.bounced = bounced;
    }

    /** A checked address, or empty when it is not one Dispatch will send to. */
    static Optional<String> valid(@Nullable String text) {
        if (text == null || text.isBlank() || text.length() > 320) return Optional.empty();
        try {
            InternetAddress parsed = new InternetAddress(text.strip(), true);
            parsed.validate();
            String address = parsed.getAddress();
            return address != null && MAILBOX.matcher(address).matches() && !address.contains("..")
                    ? Optional.of(address)
                    : Optional.empty();
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    void to(@Nullable String address) {
        add(to, address);
    }

    void cc(@Nullable String address) {
        add(cc, address);
    }

    List<String> to() {
        return List.copyOf(to);
    }

    List<String> cc() {
        return List.copyOf(cc);
    }

    /** Addresses not used, each with the reason, in the order met (the first {@value #NAMED}, then a count). */
    List<String> dropped() {
        if (droppedUnnamed == 0) return List.copyOf(dropped);
        List<String> all = new ArrayList<>(dropped);
        all.add("и ещё " + droppedUnnamed);
        return List.copyOf(all);
    }

    /** How many addresses were dropped, by reason ({@code invalid}, {@code limit}, {@code bounced}): for metrics. */
    Map<String, Integer> droppedFor() {
        return Map.copyOf(droppedFor);
    }

    private void drop(String reason, String text) {
        droppedFor.merge(reason, 1, Integer::sum);
        if (dropped.size() < NAMED) {
            dropped.add(text);
        } else {
            droppedUnnamed++;
        }
    }

    private void add(List<String> list, @Nullable String text) {
        if (text == null || text.isBlank()) return;
        Optional<String> address = valid(text);
        if (address.isEmpty()) {
            String shown = text.strip();
            drop("invalid", (shown.length() > 100 ? shown.substring(0, 100) + "…" : shown) + " (неверный адрес)");
            return;
        }
        String a = address.get();
        String key = a.toLowerCase(Locale.ROOT);
        if (own.contains(key)) return;
        if (to.stream().anyMatch(a::equalsIgnoreCase) || cc.stream().anyMatch(a::equalsIgnoreCase)) return;
        if (bounced.contains(key)) {
            drop("bounced", a + " (письма на него возвращались)");
            return;
        }
        if (to.size() + cc.size() >= limit) {
            drop("limit", a + " (больше " + limit + " получателей)");
            return;
        }
        list.add(a);
    }
}
