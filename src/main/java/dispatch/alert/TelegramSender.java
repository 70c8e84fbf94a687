package dispatch.alert;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

/**
 * Sends one message with the Bot API's {@code sendMessage}. A single JSON POST did not justify the telegrambots
 * library (it brings OkHttp and Jackson 2); see docs/decisions/0007-alerts.md.
 */
@Component
class TelegramSender {

    private static final Logger log = LoggerFactory.getLogger(TelegramSender.class);
    static final int MAX_TEXT = 4096;

    private final RestClient client;
    private final TelegramProperties settings;

    TelegramSender(TelegramProperties settings) {
        this.settings = settings;
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(Duration.ofSeconds(20));
        this.client = RestClient.builder()
                .baseUrl(settings.baseUrl().toString())
                .requestFactory(factory)
                .build();
    }

    /** True when Telegram accepted the message; failures are logged (never with the bot token). */
    boolean send(String text) {
        String body = text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT - 1) + "…" : text;
        try {
            client.post()
                    .uri("/bot{token}/sendMessage", settings.botToken())
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("chat_id", settings.chatId(), "text", body, "disable_web_page_preview", true))
                    .retrieve()
                    .toBodilessEntity();
            return true;
        } catch (RuntimeException e) {
            log.warn("Telegram alert not sent (will retry): {}", e.getClass().getSimpleName());
            return false;
        }
    }
}
