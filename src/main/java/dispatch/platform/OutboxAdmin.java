package dispatch.platform;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.sql.Timestamp;
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
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the outbox is stuck on, for people: health "outbox" (DOWN while a delivery failed for good or due deliveries
 * lag more than 15 minutes), and admin endpoints to list deliveries and retry a failed one.
 */
@RestController
@RequestMapping("/api/v1/admin/outbox")
@Tag(name = "admin: outbox", description = "Side effects on other systems (Tracker, mail): list and retry")
@Component("outboxHealthIndicator")
class OutboxAdmin implements HealthIndicator {

    record Delivery(
            long id,
            String kind,
            String dedupKey,
            String status,
            int attempts,
            Instant nextAt,
            @Nullable String lastError,
            Instant createdAt) {}

    private final JdbcClient jdbc;

    OutboxAdmin(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Health health() {
        var state = jdbc.sql("""
                        select count(*) filter (where status = 'FAILED'),
                               count(*) filter (where status = 'PENDING'),
                               extract(epoch from now() - min(next_at) filter (where status = 'PENDING'
                                                                            and next_at < now())),
                               (select last_error from outbox where status <> 'DONE' and last_error is not null
                                 order by id desc limit 1)
                          from outbox where status <> 'DONE'
                        """)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getLong(2), rs.getObject(3), rs.getString(4)})
                .single();
        long failed = (Long) state[0];
        long pending = (Long) state[1];
        double lagSeconds = state[2] == null ? 0 : ((Number) state[2]).doubleValue();
        Health.Builder health = failed > 0 || lagSeconds > 900 ? Health.down() : Health.up();
        health.withDetail("pending", pending).withDetail("failed", failed);
        if (failed > 0) {
            health.withDetail("reason", failed + " deliveries failed for good: see GET /api/v1/admin/outbox");
        } else if (lagSeconds > 900) {
            health.withDetail("reason", "deliveries are " + Math.round(lagSeconds / 60) + " min behind");
        }
        if (state[3] != null) health.withDetail("lastError", state[3]);
        return health.build();
    }

    // On the handlers, not the class: health() is called anonymously by the health endpoint and the alerts.
    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Deliveries that are not done yet (or of the given status), oldest first, at most 500")
    List<Delivery> list(@RequestParam(required = false) @Nullable String status) {
        return jdbc.sql("""
                        select id, kind, dedup_key, status, attempts, next_at, last_error, created_at from outbox
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
                        instant(rs.getTimestamp(8))))
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

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp.toInstant();
    }
}
