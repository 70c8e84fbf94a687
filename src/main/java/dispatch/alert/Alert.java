package dispatch.alert;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Something that needs a person, kept until it is over. A HEALTH alert is over when its component is UP again (and
 * that is told); an EVENT alert when it has not recurred for the repeat interval.
 */
public record Alert(
        long id,
        String fingerprint,
        Severity severity,
        Kind kind,
        String title,
        String detail,
        Instant firstSeen,
        Instant lastSeen,
        int occurrences,
        @Nullable Instant notifiedAt,
        int notifiedOccurrences,
        @Nullable Instant resolvedAt) {

    public enum Severity {
        CRITICAL("🔴"),
        WARNING("⚠️"),
        INFO("ℹ️");

        private final String icon;

        Severity(String icon) {
            this.icon = icon;
        }

        String icon() {
            return icon;
        }
    }

    public enum Kind {
        HEALTH,
        EVENT
    }
}
