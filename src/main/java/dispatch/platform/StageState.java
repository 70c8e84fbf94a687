package dispatch.platform;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.Health;

/**
 * How far behind a stage of the pipeline is (intake per folder, threading, outbox), and the stall rule they share
 * (decision 0014): a stage is stalled when it has had work for longer than {@code DISPATCH_STALLAFTER} and made no
 * progress meanwhile. Its health is then DOWN with the reason, which the Telegram alerts pass on.
 *
 * @param waiting how much work waits (mails, deliveries, UIDs; an estimate where the stage cannot count exactly)
 * @param waitingSince since when the oldest waiting work waits; null when nothing waits
 * @param lastProgress when the stage last finished a piece of work; null when not known
 */
public record StageState(
        long waiting,
        @Nullable Instant waitingSince,
        @Nullable Instant lastProgress) {

    public static StageState idle(@Nullable Instant lastProgress) {
        return new StageState(0, null, lastProgress);
    }

    /** How long the oldest waiting work has waited (zero when none waits). */
    public Duration oldestWaiting(Instant now) {
        return waiting == 0 || waitingSince == null || waitingSince.isAfter(now)
                ? Duration.ZERO
                : Duration.between(waitingSince, now);
    }

    /** How long the stage has had work without making progress (zero when it has none, or progresses). */
    public Duration stalledFor(Instant now) {
        Duration waited = oldestWaiting(now);
        if (lastProgress == null || waited.isZero()) return waited;
        Duration sinceProgress = lastProgress.isAfter(now) ? Duration.ZERO : Duration.between(lastProgress, now);
        return waited.compareTo(sinceProgress) < 0 ? waited : sinceProgress;
    }

    public boolean stalled(Instant now, Duration stallAfter) {
        return stalledFor(now).compareTo(stallAfter) > 0;
    }

    /**
     * UP, or DOWN naming {@code what} waits and for how long, with the counts as details.
     *
     * @param what the waiting work in words, e.g. "mails waiting for threading"
     */
    public Health.Builder health(String what, Instant now, Duration stallAfter) {
        Health.Builder health = stalled(now, stallAfter) ? Health.down() : Health.up();
        health.withDetail("waiting", waiting)
                .withDetail("oldestWaitingSeconds", oldestWaiting(now).toSeconds());
        if (lastProgress != null) health.withDetail("lastProgress", lastProgress.toString());
        if (stalled(now, stallAfter)) health.withDetail("reason", reason(what, now, stallAfter));
        return health;
    }

    /** Why the stage counts as stalled, e.g. "3 mails waiting for threading, no progress for 6 min (limit 5 min)". */
    public String reason(String what, Instant now, Duration stallAfter) {
        return waiting + " " + what + ", no progress for " + minutes(stalledFor(now)) + " (limit " + minutes(stallAfter)
                + ")";
    }

    /** Registers {@code dispatch_stage_oldest_waiting_seconds} and {@code dispatch_stage_waiting} for a stage. */
    public static void gauges(MeterRegistry meters, Tags stageTags, Supplier<StageState> state, Clock clock) {
        // Prometheus needs one set of label names per metric: stages without a folder get an empty one (= absent).
        Tags tags =
                stageTags.stream().anyMatch(t -> t.getKey().equals("folder")) ? stageTags : stageTags.and("folder", "");
        Gauge.builder(
                        "dispatch.stage.oldest.waiting",
                        () -> state.get().oldestWaiting(clock.instant()).toMillis() / 1000.0)
                .baseUnit("seconds")
                .tags(tags)
                .description("How long the oldest work of a stage has been waiting")
                .register(meters);
        Gauge.builder("dispatch.stage.waiting", () -> state.get().waiting())
                .tags(tags)
                .description("Work waiting in a stage (mails, deliveries, UIDs above the checkpoint)")
                .register(meters);
    }

    private static String minutes(Duration d) {
        return d.toSeconds() < 120 ? d.toSeconds() + " s" : d.toMinutes() + " min";
    }
}
