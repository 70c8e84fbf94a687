package dispatch.alert;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Alerts for admins (admin token): what is open, what was over, and what was told. */
@RestController
@RequestMapping("/api/v1/admin/alerts")
@Tag(name = "admin: alerts", description = "Alerts raised, open and over, and the notices told on Telegram")
@Validated
class AlertAdminController {

    enum State {
        open,
        all
    }

    private final AlertLog log;

    AlertAdminController(AlertLog log) {
        this.log = log;
    }

    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Alerts, newest first: open ones (state=open, the default) or all")
    List<Alert> list(
            @RequestParam(defaultValue = "open") State state,
            @Parameter(description = "at most this many") @RequestParam(defaultValue = "100") @Min(1) @Max(1000)
                    int limit) {
        return log.list(state == State.open, limit);
    }

    @GetMapping("/notices")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "The last notices told (whether or not Telegram is on), newest first")
    List<AlertLog.Notice> notices(@RequestParam(defaultValue = "50") @Min(1) @Max(1000) int limit) {
        return log.notices(limit);
    }
}
