package dispatch.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the outbox is stuck on, for people: health "outbox" (DOWN while a delivery failed for good or the outbox
 * stalls), and admin endpoints to list deliveries, retry a failed one or skip it.
 */
@RestController
@RequestMapping("/api/v1/admin/outbox")
@Tag(name = "admin: outbox", description = "Side effects on other systems (Tracker, mail): list, retry, skip")
@Component("outboxHealthIndicator")
class OutboxAdmin implements HealthIndicator {

    /** Why a delivery is given up (required). */
    record SkipRequest(@Nullable String reason) {}

    private final JdbcClient jdbc;
    private final OutboxWorker worker;
    private final OutboxDeliveries deliveries;
    private final HealthProperties settings;

    OutboxAdmin(
            JdbcClient jdbc,
            OutboxWorker worker,
            OutboxDeliveries deliveries,
            HealthProperties settings,
            MeterRegistry meters) {
        this.jdbc = jdbc;
        this.worker = worker;
        this.deliveries = deliveries;
        this.settings = settings;
        StageState.gauges(meters, Tags.of("stage", "outbox"), deliveries::due, Clock.systemUTC());
    }

    /**
     * DOWN while a delivery failed for good, or while due deliveries have waited longer than
     * {@code DISPATCH_HEALTH_STALLAFTER} and none finished meanwhile.
     */
    @Override
    public Health health() {
        var state = jdbc.sql("""
                        select count(*) filter (where status = 'FAILED'),
                               count(*) filter (where status = 'PENDING'),
                               count(*) filter (where status = 'PENDING' and next_at <= now()),
                               min(next_at) filter (where status = 'PENDING' and next_at <= now()),
                               (select last_error from outbox where status in ('PENDING', 'FAILED')
                                   and last_error is not null order by id desc limit 1)
                          from outbox where status in ('PENDING', 'FAILED')
                        """)
                .query((rs, n) -> new Object[] {
                    rs.getLong(1), rs.getLong(2), stage(rs.getLong(3), rs.getTimestamp(4)), rs.getString(5)
                })
                .single();
        long failed = (Long) state[0];
        Health.Builder health = ((StageState) state[2]).health("deliveries due", Instant.now(), settings.stallAfter());
        health.withDetail("pending", state[1]).withDetail("failed", failed);
        if (failed > 0) {
            health.down().withDetail("reason", failed + " deliveries failed for good: see GET /api/v1/admin/outbox");
        }
        if (state[3] != null) health.withDetail("lastError", state[3]);
        return health.build();
    }

    private StageState stage(long due, @Nullable Timestamp oldest) {
        return new StageState(due, oldest == null ? null : oldest.toInstant(), worker.lastProgress());
    }

    // On the handlers, not the class: health() is called anonymously by the health endpoint and the alerts.
    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Deliveries that are not done yet (or of the given status), oldest first, at most 500")
    List<OutboxDeliveries.Delivery> list(@RequestParam(required = false) @Nullable String status) {
        return deliveries.list(status, 500);
    }

    @PostMapping("/{id}/retry")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Try a failed or waiting delivery again now, with a fresh count of attempts")
    Map<String, Object> retry(@PathVariable long id) {
        deliveries.retry(id);
        return Map.of("id", id, "status", "PENDING");
    }

    /**
     * Gives up a delivery that failed for good: it is marked SKIPPED with who and why, and the deliveries after it of
     * the same incident go on. The token's name comes from the authenticated principal.
     */
    @PostMapping("/{id}/skip")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Give up a failed delivery, with a reason; the ones after it (same incident) go on")
    Map<String, Object> skip(
            @PathVariable long id,
            @RequestBody(required = false) @Nullable SkipRequest body,
            @Nullable Principal principal) {
        String who = principal != null ? principal.getName() : "unknown";
        deliveries.skip(id, who, body == null ? null : body.reason());
        return Map.of("id", id, "status", "SKIPPED", "skippedBy", who);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
