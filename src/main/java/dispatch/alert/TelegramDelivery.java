package dispatch.alert;

import dispatch.platform.OutboxHandler;
import dispatch.platform.OutboxMessage;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** Carries an alert notice to Telegram; a failure is retried by the outbox with backoff. */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.telegram.enabled", matchIfMissing = true)
class TelegramDelivery implements OutboxHandler {

    private final TelegramSender telegram;

    TelegramDelivery(TelegramSender telegram) {
        this.telegram = telegram;
    }

    @Override
    public String kind() {
        return AlertNotices.KIND;
    }

    @Override
    public void handle(OutboxMessage message) {
        if (!telegram.send(message.payload().get("text").asString())) {
            throw new IllegalStateException("Telegram did not take the message");
        }
    }
}
