package dispatch.incident;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Mail held by flood protection: list it, release it (admin token required). */
@RestController
@PreAuthorize("hasRole('ADMIN')")
@RequestMapping("/api/v1/admin/held-mail")
@Tag(name = "admin: held mail", description = "New-incident mail of senders over the flood limit")
class HeldMailController {

    /** Whose mail to release: an address or {@code @domain} as listed; absent: every sender's. */
    record ReleaseRequest(@Nullable String sender) {}

    private final HeldMail heldMail;
    private final Threading threading;

    HeldMailController(HeldMail heldMail, Threading threading) {
        this.heldMail = heldMail;
        this.threading = threading;
    }

    @GetMapping
    @Operation(summary = "Mail waiting because its sender went over the new-incident limit, oldest first")
    List<HeldMail.Held> waiting() {
        return heldMail.waiting();
    }

    @PostMapping("/release")
    @Operation(summary = "Thread the waiting mail of one sender (or of all) now, in its original order")
    Map<String, Integer> release(@RequestBody(required = false) @Nullable ReleaseRequest body, Principal admin) {
        int released = heldMail.release(body == null ? null : body.sender(), "admin token " + admin.getName());
        int threaded = released == 0 ? 0 : threading.threadPending();
        return Map.of("released", released, "threaded", threaded);
    }
}
