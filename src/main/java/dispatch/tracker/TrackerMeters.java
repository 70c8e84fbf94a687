package dispatch.tracker;

import dispatch.tracker.TrackerHttp.Call;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** The Tracker call metrics: requests by route and outcome, retries by reason, the circuit breaker's state. */
final class TrackerMeters {

    private final MeterRegistry meters;

    TrackerMeters(MeterRegistry meters) {
        this.meters = meters;
    }

    void circuit(CircuitBreaker breaker) {
        Gauge.builder("dispatch.tracker.circuit.state", breaker, b -> stateValue(b.getState()))
                .description("Tracker circuit breaker: 0 closed, 1 open, 2 half-open")
                .register(meters);
    }

    void request(Call call, String outcome) {
        Counter.builder("dispatch.tracker.requests")
                .description("Tracker HTTP requests by route template and outcome")
                .tag("method", call.method().name())
                .tag("route", call.path())
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }

    void retry(Call call, String reason) {
        Counter.builder("dispatch.tracker.retries")
                .description("Tracker calls repeated after a transient failure")
                .tag("route", call.path())
                .tag("reason", reason)
                .register(meters)
                .increment();
    }

    private static int stateValue(CircuitBreaker.State state) {
        return switch (state) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 3;
        };
    }
}
