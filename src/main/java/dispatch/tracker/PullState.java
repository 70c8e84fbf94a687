package dispatch.tracker;

import dispatch.platform.SyncState;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Repository;

/** The pull's progress in {@code sync_state}, shared by instances and kept across restarts. */
@Repository
class PullState {

    static final String WATERMARK = "tracker.pull.watermark";
    static final String LAST_FULL_SWEEP = "tracker.pull.last-full-sweep";

    private final SyncState state;

    PullState(SyncState state) {
        this.state = state;
    }

    /** Every issue change before this instant has been reconciled (as far as Tracker's search showed it). */
    Optional<Instant> watermark() {
        return read(WATERMARK);
    }

    void watermark(Instant at) {
        write(WATERMARK, at);
    }

    Optional<Instant> lastFullSweep() {
        return read(LAST_FULL_SWEEP);
    }

    void lastFullSweep(Instant at) {
        write(LAST_FULL_SWEEP, at);
    }

    private Optional<Instant> read(String key) {
        return state.text(key).map(Instant::parse);
    }

    private void write(String key, Instant at) {
        state.putText(key, at.toString());
    }
}
