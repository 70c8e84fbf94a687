package dispatch.towerstore;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns TowerStore cells into stored values. Pure functions; every rule here fixes something the old import got
 * wrong (docs/domain.md, "TowerStore reports").
 */
final class Cells {

    private static final Pattern EMAIL_SEPARATORS = Pattern.compile("[;,\\s]+");
    // Phones are written with spaces inside ("+7 912 000-01-01"), so whitespace does not separate them.
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[;,/\\n]+");
    private static final int MAX_EMAIL = 320;

    private Cells() {}

    /** A positive whole number ({@code 100101}, {@code "100101"}, {@code 100101.0}), else null. */
    static @Nullable Long siteId(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(raw.strip());
            long id = value.stripTrailingZeros().longValueExact();
            return id > 0 ? id : null;
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /**
     * A finite number within [min, max], else null: empty cells, {@code NaN}, text and out-of-range values are
     * "unknown", never stored as NaN (which broke the old API's JSON). A decimal comma is accepted.
     */
    static @Nullable Double number(@Nullable String raw, double min, double max) {
        if (raw == null) {
            return null;
        }
        try {
            double value = Double.parseDouble(raw.strip().replace(',', '.'));
            return Double.isFinite(value) && value >= min && value <= max ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * "Исключен из договора": empty, {@code нет}, {@code no}, {@code false}, {@code 0} (any case, spaces ignored) mean
     * not excluded; {@code да}, {@code yes}, {@code true}, {@code 1} mean excluded; anything else is null (the row is
     * skipped with a reason rather than guessed).
     */
    static @Nullable Boolean excluded(@Nullable String raw) {
        if (raw == null || raw.isBlank()) {
            return false;
        }
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "нет", "no", "false", "0" -> false;
            case "да", "yes", "true", "1" -> true;
            default -> null;
        };
    }

    /**
     * E-mail addresses of a cell: split on {@code ;}, {@code ,} and whitespace, each checked by jakarta.mail's strict
     * parser and lower-cased. Invalid ones are reported to {@code rejected} and dropped.
     */
    static List<String> emails(@Nullable String raw, Consumer<String> rejected) {
        List<String> emails = new ArrayList<>();
        if (raw == null) {
            return emails;
        }
        for (String part : EMAIL_SEPARATORS.split(raw.strip())) {
            if (part.isEmpty()) {
                continue;
            }
            String email = email(part);
            if (email == null) {
                rejected.accept(part);
            } else if (!emails.contains(email)) {
                emails.add(email);
            }
        }
        return emails;
    }

    static @Nullable String email(String candidate) {
        if (candidate.length() > MAX_EMAIL || candidate.indexOf('@') < 1) {
            return null;
        }
        try {
            InternetAddress address = new InternetAddress(candidate, true);
            address.validate();
            return address.getPersonal() == null ? address.getAddress().toLowerCase(Locale.ROOT) : null;
        } catch (AddressException e) {
            return null;
        }
    }

    /**
     * Phone numbers of a cell, split on {@code ;}, {@code ,}, {@code /} and new lines (a part with more than 15
     * digits is split again on spaces). Russian numbers ({@code +7 912 000-01-01}, {@code 8 (912) 000-04-01},
     * {@code 89120000201}, {@code +79120000301}, or 10 digits without a prefix) become {@code +7XXXXXXXXXX}; other
     * numbers written with {@code +} and 8–15 digits are kept as {@code +digits}; anything else is reported to
     * {@code rejected} and dropped.
     */
    static List<String> phones(@Nullable String raw, Consumer<String> rejected) {
        List<String> phones = new ArrayList<>();
        if (raw == null) {
            return phones;
        }
        for (String part : PHONE_SEPARATORS.split(raw.strip())) {
            List<String> candidates =
                    digits(part).length() > 15 ? List.of(part.strip().split("\\s+")) : List.of(part);
            for (String candidate : candidates) {
                if (candidate.isBlank()) {
                    continue;
                }
                String phone = phone(candidate);
                if (phone == null) {
                    rejected.accept(candidate.strip());
                } else if (!phones.contains(phone)) {
                    phones.add(phone);
                }
            }
        }
        return phones;
    }

    static @Nullable String phone(String candidate) {
        String digits = digits(candidate);
        boolean plus = candidate.strip().startsWith("+");
        if (digits.length() == 11
                && (digits.charAt(0) == '7' || digits.charAt(0) == '8')
                && (!plus || digits.charAt(0) == '7')) {
            return "+7" + digits.substring(1);
        }
        if (digits.length() == 10 && !plus) {
            return "+7" + digits;
        }
        if (plus && digits.length() >= 8 && digits.length() <= 15) {
            return "+" + digits;
        }
        return null;
    }

    private static String digits(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
