package dispatch.mail;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Admin endpoints for mail that could not be stored (admin token required). */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@RequestMapping("/api/v1/admin/mail")
@Tag(name = "admin: mail", description = "Quarantined messages: list and replay")
class MailAdminController {

    private final MailIntake intake;

    MailAdminController(MailIntake intake) {
        this.intake = intake;
    }

    @GetMapping("/quarantine")
    @Operation(summary = "Messages that could not be parsed or stored, with the reason and their raw copy's hash")
    List<QuarantineStore.Quarantined> quarantine(
            @RequestParam(name = "include_replayed", defaultValue = "false") boolean all) {
        return intake.quarantined(all);
    }

    @PostMapping("/quarantine/{id}/replay")
    @Operation(summary = "Parse and store a quarantined message again (after a fix)")
    Map<String, String> replay(@PathVariable long id) {
        return Map.of("result", intake.replay(id));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
