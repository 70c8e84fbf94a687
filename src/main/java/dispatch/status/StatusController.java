package dispatch.status;

import dispatch.incident.ParkedMail;
import dispatch.mail.MailQuarantine;
import dispatch.platform.OutboxDeliveries;
import java.security.Principal;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The status page and its buttons (README "Status page", decision 0029). Each button does what the admin API's
 * endpoint does, through the same facade, then shows the page again with the outcome on top.
 */
@Controller
@RequestMapping("/admin")
class StatusController {

    private static final Logger log = LoggerFactory.getLogger(StatusController.class);

    private final StatusPage page;
    private final OutboxDeliveries outbox;
    private final MailQuarantine quarantine;
    private final ParkedMail parked;

    StatusController(StatusPage page, OutboxDeliveries outbox, MailQuarantine quarantine, ParkedMail parked) {
        this.page = page;
        this.outbox = outbox;
        this.quarantine = quarantine;
        this.parked = parked;
    }

    @GetMapping("/login")
    String login() {
        return "admin/login";
    }

    @GetMapping("/status")
    @PreAuthorize("hasRole('ADMIN')")
    String status(Model model) {
        model.addAttribute("page", page.view());
        return "admin/status";
    }

    @PostMapping("/status/outbox/{id}/retry")
    @PreAuthorize("hasRole('ADMIN')")
    String retry(@PathVariable long id, Principal who, RedirectAttributes flash) {
        return act(flash, who, "retry delivery " + id, () -> {
            outbox.retry(id);
            return "queued again";
        });
    }

    @PostMapping("/status/outbox/{id}/skip")
    @PreAuthorize("hasRole('ADMIN')")
    String skip(
            @PathVariable long id,
            @RequestParam(required = false) @Nullable String reason,
            Principal who,
            RedirectAttributes flash) {
        return act(flash, who, "skip delivery " + id, () -> {
            outbox.skip(id, who.getName(), reason);
            return "skipped";
        });
    }

    @PostMapping("/status/quarantine/{id}/replay")
    @PreAuthorize("hasRole('ADMIN')")
    String replayQuarantined(@PathVariable long id, Principal who, RedirectAttributes flash) {
        return act(flash, who, "replay quarantined mail " + id, () -> quarantine.replay(id));
    }

    @PostMapping("/status/parked/{id}/replay")
    @PreAuthorize("hasRole('ADMIN')")
    String replayParked(@PathVariable long id, Principal who, RedirectAttributes flash) {
        return act(flash, who, "replay parked mail " + id, () -> parked.replay(id));
    }

    /** Runs a button's action; its outcome, or why it was refused, is shown on the page it returns to. */
    private static String act(RedirectAttributes flash, Principal who, String what, Supplier<String> action) {
        String outcome;
        try {
            outcome = action.get();
        } catch (NoSuchElementException | IllegalArgumentException | IllegalStateException e) {
            outcome = "refused: " + e.getMessage();
        }
        log.info("Status page: {} by {}: {}", what, who.getName(), outcome);
        flash.addFlashAttribute("outcome", what + ": " + outcome);
        return "redirect:/admin/status";
    }
}
