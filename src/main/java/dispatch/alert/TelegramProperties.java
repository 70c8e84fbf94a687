package dispatch.alert;

import dispatch.platform.FeatureSettings;
import dispatch.platform.SafeUrls;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Telegram bot that alerts on-call admins.
 *
 * @param chatId the chat, group or user id the alerts go to
 */
@Validated
@ConfigurationProperties("dispatch.telegram")
public record TelegramProperties(
        @DefaultValue("true") boolean enabled,
        @NotNull @DefaultValue("https://api.telegram.org") URI baseUrl,
        String botToken,
        String chatId)
        implements FeatureSettings {

    @Override
    public String feature() {
        return "telegram";
    }

    @Override
    public List<String> missingWhenEnabled() {
        List<String> missing = new ArrayList<>();
        if (FeatureSettings.blank(botToken)) missing.add("bot-token");
        if (FeatureSettings.blank(chatId)) missing.add("chat-id");
        return missing;
    }

    @Override
    public String summary() {
        return "chat " + chatId + " via " + SafeUrls.of(baseUrl);
    }

    @Override
    public String toString() {
        return "TelegramProperties[" + summary() + "]";
    }
}
