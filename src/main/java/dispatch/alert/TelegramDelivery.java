package dispatch.alert;

import dispatch.platform.OutboxHandler;
import dispatch.platform.OutboxMessage;
import dispatch.platform.OutboxPayload;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/** Carries an alert notice to Telegram; a failure is retried by the outbox with backoff. */
@Component
@ConditionalOnBooleanProperty(name = "dispatch.telegram.enabled", matchIfMissing = true)
class TelegramDelivery implements OutboxHandler<TelegramDelivery.Notice> {

    /** One alert notice for the chat. */
    @OutboxPayload.Kind("alert.telegram")
    record Notice(String text) implements OutboxPayload {}

    private final TelegramSender telegram;

    TelegramDelivery(TelegramSender telegram) {
        this.telegram = telegram;
    }

    @Override
    public Class<Notice> payloadType() {
        return Notice.class;
    }

    @Override
    public void handle(OutboxMessage<Notice> message) {
        if (!telegram.send(message.payload().text())) {
            throw new IllegalStateException("Telegram did not take the message");
        }
    }
}
