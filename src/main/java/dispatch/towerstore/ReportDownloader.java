package dispatch.towerstore;

import dispatch.platform.SafeUrls;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Downloads a report to a temporary file, so the import only starts on a complete body. Retries with a doubling
 * backoff on 5xx answers and I/O errors (including a body cut short); other answers (401, 404) fail at once.
 */
final class ReportDownloader {

    private static final Logger log = LoggerFactory.getLogger(ReportDownloader.class);

    private final RestClient client;
    private final TowerStoreProperties settings;

    ReportDownloader(RestClient.Builder builder, TowerStoreProperties settings) {
        // HTTP/1.1 pinned: the JDK client's h2c upgrade attempt breaks against some servers.
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(settings.readTimeout());
        this.client = builder.requestFactory(factory).build();
        this.settings = settings;
    }

    /** The caller deletes the file. */
    Path download(String report, URI uri) {
        Duration backoff = settings.retryBackoff();
        for (int attempt = 1; ; attempt++) {
            Path file = tempFile(report);
            try {
                fetch(uri, file);
                return file;
            } catch (Retryable | ResourceAccessException | UncheckedIOException e) {
                delete(file);
                // Spring's I/O message repeats the URL, which may carry a token in its query: keep only the cause.
                String reason = e instanceof ResourceAccessException && e.getCause() != null
                        ? e.getCause().toString()
                        : e.getMessage();
                if (attempt >= settings.maxAttempts()) {
                    throw new ReportException(
                            "download from " + SafeUrls.of(uri) + " failed after " + attempt + " attempts: " + reason,
                            e);
                }
                log.warn(
                        "TowerStore {} download attempt {} failed ({}); retrying in {}",
                        report,
                        attempt,
                        reason,
                        backoff);
                sleep(backoff);
                backoff = backoff.multipliedBy(2);
            } catch (RuntimeException e) {
                delete(file);
                throw e;
            }
        }
    }

    private void fetch(URI uri, Path file) {
        client.get()
                .uri(uri)
                .headers(h -> {
                    if (settings.authHeaderName() != null
                            && !settings.authHeaderName().isBlank()) {
                        h.set(settings.authHeaderName(), settings.authHeaderValue());
                    }
                })
                .exchange((request, response) -> {
                    int status = response.getStatusCode().value();
                    if (status >= 500) {
                        throw new Retryable("HTTP " + status);
                    }
                    if (status != 200) {
                        throw new ReportException("HTTP " + status + " from " + SafeUrls.of(uri));
                    }
                    try (InputStream body = response.getBody()) {
                        Files.copy(body, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                    return null;
                });
    }

    private static Path tempFile(String report) {
        try {
            return Files.createTempFile("towerstore-" + report + "-", ".json");
        } catch (IOException e) {
            throw new ReportException("cannot create a temporary file: " + e.getMessage(), e);
        }
    }

    static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not delete {}: {}", file, e.toString());
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReportException("interrupted while waiting to retry", e);
        }
    }

    private static final class Retryable extends RuntimeException {
        Retryable(String message) {
            super(message);
        }
    }
}
