package dispatch.standin.telegram;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.telegram.FakeTelegram.SentMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class FakeTelegramTest {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private static final String TOKEN = "123456:ABC-def_ghi";

    private FakeTelegram telegram;

    @BeforeEach
    void start() {
        telegram = FakeTelegram.start(0);
    }

    @AfterEach
    void stop() {
        telegram.close();
    }

    @Test
    void sendMessageWithJsonBodyIsRecordedAndAnsweredLikeTelegram() throws Exception {
        HttpResponse<String> response = post(
                "sendMessage",
                "application/json",
                "{\"chat_id\":4242,\"text\":\"❌ _ERROR_\\nУпал с ошибкой\",\"parse_mode\":\"Markdown\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JsonMapper.shared().readTree(response.body());
        assertThat(body.get("ok").asBoolean()).isTrue();
        assertThat(body.at("/result/message_id").asInt()).isEqualTo(1);
        assertThat(body.at("/result/chat/id").asLong()).isEqualTo(4242L);
        assertThat(body.at("/result/text").asString()).isEqualTo("❌ _ERROR_\nУпал с ошибкой");
        assertThat(body.at("/result/from/is_bot").asBoolean()).isTrue();
        assertThat(telegram.messages())
                .containsExactly(new SentMessage(TOKEN, "4242", "❌ _ERROR_\nУпал с ошибкой", "Markdown"));
    }

    @Test
    void sendMessageWithFormBodyIsRecorded() throws Exception {
        HttpResponse<String> response = post(
                "sendMessage",
                "application/x-www-form-urlencoded",
                "chat_id=-100777&text=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%21");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(telegram.messages()).containsExactly(new SentMessage(TOKEN, "-100777", "Привет !", null));
    }

    @Test
    void messageIdsIncrease() throws Exception {
        post("sendMessage", "application/json", "{\"chat_id\":1,\"text\":\"a\"}");
        HttpResponse<String> second = post("sendMessage", "application/json", "{\"chat_id\":1,\"text\":\"b\"}");

        assertThat(JsonMapper.shared()
                        .readTree(second.body())
                        .at("/result/message_id")
                        .asInt())
                .isEqualTo(2);
    }

    @Test
    void getMeAnswersOnGetAndPost() throws Exception {
        HttpResponse<String> viaGet = HTTP.send(
                HttpRequest.newBuilder(URI.create(telegram.baseUrl() + "/bot" + TOKEN + "/getMe"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> viaPost = post("getMe", "application/json", "");

        for (HttpResponse<String> response : List.of(viaGet, viaPost)) {
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode body = JsonMapper.shared().readTree(response.body());
            assertThat(body.get("ok").asBoolean()).isTrue();
            assertThat(body.at("/result/id").asLong()).isEqualTo(123456L);
            assertThat(body.at("/result/is_bot").asBoolean()).isTrue();
        }
    }

    @Test
    void failNextAnswersTooManyRequestsWithRetryAfterOnce() throws Exception {
        telegram.failNext(429, 7);

        HttpResponse<String> failed = post("sendMessage", "application/json", "{\"chat_id\":1,\"text\":\"x\"}");
        HttpResponse<String> retried = post("sendMessage", "application/json", "{\"chat_id\":1,\"text\":\"x\"}");

        assertThat(failed.statusCode()).isEqualTo(429);
        JsonNode body = JsonMapper.shared().readTree(failed.body());
        assertThat(body.get("ok").asBoolean()).isFalse();
        assertThat(body.get("error_code").asInt()).isEqualTo(429);
        assertThat(body.get("description").asString()).isEqualTo("Too Many Requests: retry after 7");
        assertThat(body.at("/parameters/retry_after").asInt()).isEqualTo(7);
        assertThat(retried.statusCode()).isEqualTo(200);
        assertThat(telegram.messages()).hasSize(1);
        assertThat(telegram.requests()).isEqualTo(2);
    }

    @Test
    void failNextWithoutRetryAfterHasNoParameters() throws Exception {
        telegram.failNext(502, null);

        HttpResponse<String> failed = post("sendMessage", "application/json", "{\"chat_id\":1,\"text\":\"x\"}");

        assertThat(failed.statusCode()).isEqualTo(502);
        JsonNode body = JsonMapper.shared().readTree(failed.body());
        assertThat(body.get("description").asString()).isEqualTo("Bad Gateway");
        assertThat(body.has("parameters")).isFalse();
        assertThat(telegram.messages()).isEmpty();
    }

    @Test
    void rejectsMessagesWithoutChatOrText() throws Exception {
        HttpResponse<String> noText = post("sendMessage", "application/json", "{\"chat_id\":1}");
        HttpResponse<String> noChat = post("sendMessage", "application/json", "{\"text\":\"x\"}");

        assertThat(noText.statusCode()).isEqualTo(400);
        assertThat(noText.body()).contains("Bad Request: message text is empty");
        assertThat(noChat.statusCode()).isEqualTo(400);
        assertThat(noChat.body()).contains("Bad Request: chat_id is empty");
        assertThat(telegram.messages()).isEmpty();
    }

    @Test
    void rejectsTextLongerThanTelegramAllows() throws Exception {
        String text = "я".repeat(4097);

        HttpResponse<String> response =
                post("sendMessage", "application/json", "{\"chat_id\":1,\"text\":\"" + text + "\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("message is too long");
    }

    @Test
    void answers404ForUnknownMethodOrMalformedPath() throws Exception {
        assertThat(post("sendPhoto", "application/json", "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> noToken = HTTP.send(
                HttpRequest.newBuilder(URI.create(telegram.baseUrl() + "/sendMessage"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(404);
        assertThat(noToken.body()).contains("\"ok\":false");
    }

    private HttpResponse<String> post(String method, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(telegram.baseUrl() + "/bot" + TOKEN + "/" + method))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
