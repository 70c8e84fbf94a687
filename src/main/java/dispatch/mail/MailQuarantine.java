package dispatch.mail;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Quarantined mail for the status page: what waits for a person, and its replay (the admin API's). */
@Component
public class MailQuarantine {

    /** A quarantined message that was not replayed yet. */
    public record Waiting(
            long id,
            String account,
            String folder,
            long uid,
            @Nullable Long rawSize,
            String reason,
            Instant createdAt) {}

    private final MailIntake intake;

    MailQuarantine(MailIntake intake) {
        this.intake = intake;
    }

    /** Messages that wait for a replay, oldest first. */
    public List<Waiting> waiting() {
        return intake.quarantined(false).stream()
                .map(q -> new Waiting(q.id(), q.account(), q.folder(), q.uid(), q.rawSize(), q.reason(), q.createdAt()))
                .toList();
    }

    /**
     * Parses and stores the message again; the outcome as a sentence for the admin.
     *
     * @throws java.util.NoSuchElementException when there is no such quarantined message
     */
    public String replay(long id) {
        return intake.replay(id);
    }
}
