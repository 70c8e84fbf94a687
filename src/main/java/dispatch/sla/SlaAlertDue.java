package dispatch.sla;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An incident of a type with SLA alerts came within an hour of its deadline ({@code breached} false) or passed it:
 * published once per incident and kind, inside the transaction that records it (docs/sla.md, "SLA alerts").
 */
public record SlaAlertDue(
        long incidentId,
        String code,
        @Nullable String trackerKey,
        @Nullable String typeName,
        Instant deadline,
        boolean breached) {}
