package dispatch.tracker;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Tracker call with everything around it: auth and organisation headers, retries with backoff and jitter,
 * {@code Retry-After}, the OAuth refresh on 401, the circuit breaker and the metrics ({@link TrackerMeters}). What a
 * failed answer means is {@link TrackerErrors}'.
 *
 * <p>Retry rules: a {@link Call#safe() safe} call (reads, PATCH, search, creates carrying {@code unique}, uploads) is
 * retried on 429, 5xx and I/O errors. Any other call (a comment, a transition) may have taken effect when the answer
 * is a 5xx or the connection broke mid-request, so it is retried only when Tracker certainly did not act on it: 429,
 * or the connection was never made.
 */
class TrackerHttp {

    /** How the client waits between attempts; tests pass one that records the waits. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** One request: {@code route} is a URI template such as {@code /v2/issues/{key}}; metrics carry its path. */
    record Call(
            HttpMethod method,
            String route,
            List<Object> vars,
            @Nullable Object body,
            boolean safe,
            boolean single,
            boolean renew) {

        static Call of(HttpMethod method, String route, Object... vars) {
            return new Call(method, route, List.of(vars), null, true, false, true);
        }

        Call body(Object body) {
            return new Call(method, route, vars, body, safe, single, renew);
        }

        /** Not idempotent: retried only when the request certainly did not reach Tracker. */
        Call unsafe() {
            return new Call(method, route, vars, body, false, single, renew);
        }

        /** One attempt and no token refresh (the health probe). */
        Call probe() {
            return new Call(method, route, vars, body, safe, true, false);
        }

        String path() {
            int query = route.indexOf('?');
            return query < 0 ? route : route.substring(0, query);
        }

        @Override
        public String toString() {
            return method + " " + path();
        }
    }

    /** A received answer. */
    record Answer(int status, HttpHeaders headers, byte[] body) {}

    /** The most recent failure, for health. */
    record Failure(Instant at, String description) {}

    private static final Logger log = LoggerFactory.getLogger(TrackerHttp.class);

    private final TrackerProperties settings;
    private final RestClient rest;
    private final TrackerTokens tokens;
    private final JsonMapper json;
    private final TrackerErrors errors;
    private final TrackerMeters meters;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DoubleSupplier random;
    private final CircuitBreaker breaker;
    private volatile @Nullable Failure lastFailure;

    TrackerHttp(
            TrackerProperties settings,
            RestClient rest,
            TrackerTokens tokens,
            JsonMapper json,
            MeterRegistry meters,
            Clock clock,
            Sleeper sleeper,
            DoubleSupplier random) {
        this.settings = settings;
        this.rest = rest;
        this.tokens = tokens;
        this.json = json;
        this.errors = new TrackerErrors(json, clock);
        this.meters = new TrackerMeters(meters);
        this.clock = clock;
        this.sleeper = sleeper;
        this.random = random;
        this.breaker = breaker(settings.circuit(), clock);
        breaker.getEventPublisher()
                .onStateTransition(e -> log.warn("Tracker circuit breaker: {}", e.getStateTransition()));
        this.meters.circuit(breaker);
    }

    private static CircuitBreaker breaker(TrackerProperties.Circuit circuit, Clock clock) {
        return CircuitBreaker.of(
                "tracker",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(circuit.window())
                        .minimumNumberOfCalls(Math.min(circuit.minimumCalls(), circuit.window()))
                        .failureRateThreshold(circuit.failureRate())
                        .waitDurationInOpenState(circuit.openWait())
                        .permittedNumberOfCallsInHalfOpenState(2)
                        .clock(clock)
                        .build());
    }

    /** Sends the call, retrying as its kind allows; the answer is a 2xx, anything else a {@link TrackerException}. */
    Answer send(Call call) {
        int maxAttempts = call.single() ? 1 : settings.retry().maxAttempts();
        boolean renewed = !call.renew();
        for (int attempt = 1; ; attempt++) {
            if (!breaker.tryAcquirePermission()) {
                meters.request(call, "circuit_open");
                Failure last = lastFailure;
                throw new TrackerException(
                        0,
                        "Tracker circuit open after repeated failures (last: "
                                + (last == null ? "none" : last.description()) + "); " + call + " not sent",
                        null,
                        settings.circuit().openWait());
            }
            String token = tokens.accessToken();
            long started = System.nanoTime();
            Answer answer;
            try {
                answer = exchange(call, token);
            } catch (RestClientException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                failed(call, "io_error", call + " failed: " + e.getMessage());
                if (attempt < maxAttempts && (call.safe() || TrackerErrors.notSent(e))) {
                    retry(call, "io_error", backoff(attempt));
                    continue;
                }
                throw new TrackerException(0, "Tracker " + call + " failed: " + e.getMessage(), e);
            }
            long took = System.nanoTime() - started;
            int status = answer.status();
            if (status == 429 || status >= 500) {
                TrackerException error = errors.error(call, answer);
                breaker.onError(took, TimeUnit.NANOSECONDS, error);
                failed(call, status == 429 ? "rate_limited" : "server_error", error.getMessage());
                Duration wait = status == 429 ? errors.retryAfter(answer).orElse(backoff(attempt)) : backoff(attempt);
                if (status == 429 && wait.compareTo(settings.retry().maxRetryAfter()) > 0) {
                    throw new TrackerException(429, error.getMessage() + " (Retry-After " + wait + ")", null, wait);
                }
                if (attempt < maxAttempts && (call.safe() || status == 429)) {
                    retry(call, status == 429 ? "rate_limited" : "server_error", wait);
                    continue;
                }
                throw status == 429 ? new TrackerException(429, error.getMessage(), null, wait) : error;
            }
            breaker.onSuccess(took, TimeUnit.NANOSECONDS); // a 4xx is our mistake, not Tracker's failure
            if (status == 401 && !renewed) {
                meters.request(call, "unauthorized");
                tokens.renew(token);
                renewed = true;
                attempt--; // the repeat after a refresh is not a retry
                continue;
            }
            if (status >= 300) {
                meters.request(call, status == 401 ? "unauthorized" : "client_error");
                throw errors.error(call, answer);
            }
            meters.request(call, "success");
            return answer;
        }
    }

    JsonNode json(Answer answer) {
        try {
            return answer.body().length == 0 ? json.createObjectNode() : json.readTree(answer.body());
        } catch (JacksonException e) {
            throw new TrackerException(answer.status(), "Tracker answered with malformed JSON: " + e.getMessage(), e);
        }
    }

    CircuitBreaker.State circuitState() {
        return breaker.getState();
    }

    @Nullable
    Failure lastFailure() {
        return lastFailure;
    }

    private Answer exchange(Call call, String token) {
        RestClient.RequestBodySpec spec = rest.method(call.method())
                .uri(call.route(), call.vars().toArray())
                .header(HttpHeaders.AUTHORIZATION, scheme() + token)
                .header(orgHeader(), settings.orgId())
                .accept(MediaType.APPLICATION_JSON);
        if (call.body() instanceof MultiValueMap<?, ?> parts) {
            spec.contentType(MediaType.MULTIPART_FORM_DATA).body(parts);
        } else if (call.body() != null) {
            spec.contentType(MediaType.APPLICATION_JSON).body(json.writeValueAsBytes(call.body()));
        }
        return spec.exchange((request, response) -> new Answer(
                response.getStatusCode().value(),
                response.getHeaders(),
                response.getBody().readAllBytes()));
    }

    private String scheme() {
        return settings.authType() == TrackerProperties.AuthType.IAM ? "Bearer " : "OAuth ";
    }

    private String orgHeader() {
        return settings.orgType() == TrackerProperties.OrgType.CLOUD ? "X-Cloud-Org-ID" : "X-Org-ID";
    }

    /** {@code initial × multiplier^(attempt-1)}, capped, shortened by up to {@code jitter} at random. */
    Duration backoff(int attempt) {
        TrackerProperties.Retry retry = settings.retry();
        double step = retry.initialBackoff().toMillis() * Math.pow(retry.multiplier(), attempt - 1);
        double capped = Math.min(step, retry.maxBackoff().toMillis());
        return Duration.ofMillis(Math.round(capped * (1 - retry.jitter() * random.getAsDouble())));
    }

    private void retry(Call call, String reason, Duration wait) {
        meters.retry(call, reason);
        log.debug("Tracker {}: {}, retrying in {} ms", call, reason, wait.toMillis());
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackerException(0, "Interrupted while waiting to retry " + call, e);
        }
    }

    private void failed(Call call, String outcome, @Nullable String description) {
        meters.request(call, outcome);
        lastFailure = new Failure(clock.instant(), String.valueOf(description));
    }
}
