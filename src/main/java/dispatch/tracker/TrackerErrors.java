package dispatch.tracker;

import dispatch.tracker.TrackerHttp.Answer;
import dispatch.tracker.TrackerHttp.Call;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a failed Tracker call means: the error Tracker gave, how long it asks us to wait, whether it was sent. */
final class TrackerErrors {

    private final JsonMapper json;
    private final Clock clock;

    TrackerErrors(JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
    }

    /** The answer as an exception carrying Tracker's {@code errorMessages} and {@code errors}, when it sent them. */
    TrackerException error(Call call, Answer answer) {
        List<String> messages = new ArrayList<>();
        try {
            JsonNode body = json.readTree(answer.body());
            body.path("errorMessages").forEach(m -> messages.add(m.asString("")));
            body.path("errors")
                    .properties()
                    .forEach(e -> messages.add(e.getKey() + ": " + e.getValue().asString("")));
        } catch (JacksonException | IllegalArgumentException e) {
            // not Tracker's error JSON (a proxy's page): the status says enough
        }
        return new TrackerException(
                answer.status(),
                "Tracker answered " + answer.status() + " to " + call + (messages.isEmpty() ? "" : ": " + messages),
                null);
    }

    /** {@code Retry-After} in seconds, or as an HTTP date. */
    Optional<Duration> retryAfter(Answer answer) {
        String value = answer.headers().getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim()))));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration wait = Duration.between(clock.instant(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException ignored) {
                return Optional.empty();
            }
        }
    }

    /** The connection was never made, so Tracker cannot have acted on the request. */
    static boolean notSent(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException) {
                return true;
            }
        }
        return false;
    }
}
