package dispatch.tracker;

import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** How far the pull from Tracker has got, for the status page (its sync lag). */
@Component
public class TrackerSync {

    private final PullState state;

    TrackerSync(PullState state) {
        this.state = state;
    }

    /** Every issue change before this instant has been reconciled; empty before the first pull. */
    public Optional<Instant> reconciledUpTo() {
        return state.watermark();
    }

    /** When the last full sweep of open issues finished; empty before the first. */
    public Optional<Instant> lastFullSweep() {
        return state.lastFullSweep();
    }
}
