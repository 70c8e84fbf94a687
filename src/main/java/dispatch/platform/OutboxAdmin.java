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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(OutboxAdmin.class);

    record Delivery(
            long id,
            String kind,
            String dedupKey,
            String status,
            int attempts,
            Instant nextAt,
            @Nullable String lastError,
            Instant createdAt,
            @Nullable String skippedBy,
            @Nullable String skipReason) {}

    /** Why a delivery is given up (required). */
    record SkipRequest(@Nullable String reason) {}

    private final JdbcClient jdbc;
    private final OutboxWorker worker;
    private final HealthProperties settings;

    OutboxAdmin(JdbcClient jdbc, OutboxWorker worker, HealthProperties settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.worker = worker;
        this.settings = settings;
        StageState.gauges(meters, Tags.of("stage", "outbox"), this::due, Clock.systemUTC());
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

    /** Deliveries due now, and how long the oldest of them has waited. */
    StageState due() {
        return jdbc.sql("select count(*), min(next_at) from outbox where status = 'PENDING' and next_at <= now()")
                .query((rs, n) -> stage(rs.getLong(1), rs.getTimestamp(2)))
                .single();
    }

    private StageState stage(long due, @Nullable Timestamp oldest) {
        return new StageState(due, oldest == null ? null : oldest.toInstant(), worker.lastProgress());
    }

    // On the handlers, not the class: health() is called anonymously by the health endpoint and the alerts.
    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Deliveries that are not done yet (or of the given status), oldest first, at most 500")
    List<Delivery> list(@RequestParam(required = false) @Nullable String status) {
        return jdbc.sql("""
                        select id, kind, dedup_key, status, attempts, next_at, last_error, created_at, skipped_by,
                               skip_reason from outbox
                         where (cast(:status as varchar) is null and status <> 'DONE') or status = :status
                         order by id limit 500
                        """)
                .param("status", status == null ? null : status.toUpperCase(java.util.Locale.ROOT))
                .query((rs, n) -> new Delivery(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getInt(5),
                        instant(rs.getTimestamp(6)),
                        rs.getString(7),
                        instant(rs.getTimestamp(8)),
                        rs.getString(9),
                        rs.getString(10)))
                .list();
    }

    @PostMapping("/{id}/retry")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Try a failed or waiting delivery again now, with a fresh count of attempts")
    // attempts stays at 1, not 0: the handler must still check whether an earlier attempt took effect
    Map<String, Object> retry(@PathVariable long id) {
        int updated = jdbc.sql("""
                        update outbox set status = 'PENDING', attempts = least(attempts, 1), next_at = now()
                         where id = :id and status <> 'DONE'
                        """).param("id", id).update();
        if (updated == 0) throw new NoSuchElementException("no failed or waiting delivery " + id);
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
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            throw new IllegalArgumentException("reason: say why this delivery is given up");
        }
        String who = principal != null ? principal.getName() : "unknown";
        int updated = jdbc.sql("""
                        update outbox set status = 'SKIPPED', skipped_by = :who, skip_reason = :reason,
                               done_at = now()
                         where id = :id and status = 'FAILED'
                        """)
                .param("who", who)
                .param("reason", body.reason().strip())
                .param("id", id)
                .update();
        if (updated == 0) throw new NoSuchElementException("no failed delivery " + id);
        log.warn("Outbox delivery {} skipped by {}: {}", id, who, body.reason().strip());
        worker.wake();
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

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toInstant();
    }
}
