package dispatch.incident;

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
import org.springframework.web.bind.annotation.RestController;

/**
 * Stored mail that threading set aside (admin token required), next to the mail quarantine: parked mail waits for a
 * person, retrying mail for its next attempt. A replay puts it back into the queue and threads it at once.
 */
@RestController
@RequestMapping("/api/v1/admin/mail/parked")
@Tag(name = "admin: parked mail", description = "Mail threading set aside: list and replay")
class ParkedMailAdmin {

    private final ParkedMail parked;

    ParkedMailAdmin(ParkedMail parked) {
        this.parked = parked;
    }

    @GetMapping
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(
            summary = "Stored mail threading set aside: PARKED (needs a person) and RETRY (a database error), with"
                    + " the reason")
    List<SetAsideMail> list() {
        return parked.list();
    }

    @PostMapping("/{mailId}/replay")
    @PreAuthorize("hasRole('ADMIN')")
    @Operation(summary = "Thread a parked or retrying mail again now (after a fix)")
    Map<String, String> replay(@PathVariable long mailId) {
        return Map.of("result", parked.replay(mailId));
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
