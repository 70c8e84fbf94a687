package dispatch.incident;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Admin corrections of threading (admin token required). */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@RequestMapping("/api/v1/admin/mails/{mailId}")
@Tag(name = "admin: threading", description = "Move a mail (and the replies following it) or split it off")
class IncidentAdminController {

    /** The incident to move to, by code ({@code INC-1042}) or Tracker key. */
    record MoveRequest(String incident) {}

    private final ManualThreading manual;

    IncidentAdminController(ManualThreading manual) {
        this.manual = manual;
    }

    @PostMapping("/move")
    @Operation(summary = "Move a mail and the replies that follow from it to another incident")
    ManualThreading.Result move(@PathVariable long mailId, @RequestBody MoveRequest body, Principal principal) {
        if (body == null || body.incident() == null || body.incident().isBlank()) {
            throw new IllegalArgumentException("incident: the code of the incident to move to, e.g. INC-1042");
        }
        return manual.move(mailId, body.incident().strip(), who(principal));
    }

    @PostMapping("/split")
    @Operation(summary = "Split a mail and the replies that follow from it into a new incident")
    ManualThreading.Result split(@PathVariable long mailId, Principal principal) {
        return manual.split(mailId, who(principal));
    }

    private static String who(Principal principal) {
        return "admin token " + principal.getName();
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
