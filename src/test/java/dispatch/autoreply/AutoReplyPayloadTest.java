package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.OutboxPayload;
import dispatch.tracker.StatusCommandIssued.Command;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The auto-reply's outbox payload reads the rows queued before it was a record, under the same kind. */
class AutoReplyPayloadTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aQueuedSendIsReadAsItsRecordAndWrittenBackInTheSameShape() {
        String queued =
                "{\"incident\":7,\"command\":\"OPERATOR_CLOSED\",\"issueUpdatedAt\":\"2026-11-20T08:05:00.123Z\"}";

        AutoReplies.Send read = json.readValue(queued, AutoReplies.Send.class);

        assertThat(read)
                .isEqualTo(new AutoReplies.Send(7, Command.OPERATOR_CLOSED, Instant.parse("2026-11-20T08:05:00.123Z")));
        assertThat(json.readTree(json.writeValueAsString(read))).isEqualTo(json.readTree(queued));
        assertThat(OutboxPayload.kindOf(AutoReplies.Send.class)).isEqualTo("autoreply.send");
    }
}
