package dispatch.incident;

import dispatch.mail.MatchMethod;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A stored mail threading set aside: {@link MatchMethod#PARKED} for a person, or {@link MatchMethod#RETRY}. */
public record SetAsideMail(
        long mailId,
        String messageId,
        @Nullable String subject,
        @Nullable String from,
        Instant storedAt,
        MatchMethod state,
        int attempts,
        @Nullable Instant nextAt,
        String reason,
        Instant firstFailedAt,
        Instant failedAt) {}
