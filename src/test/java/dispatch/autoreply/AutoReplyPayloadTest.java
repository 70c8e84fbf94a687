package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.OutboxPayload;
import dispatch.tracker.StatusCommandIssued.Command;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The auto-reply's outbox payload reads the rows queued before it was a record, under the same kind. */
class AutoReplyPayloadTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aSendIsWrittenAndReadAsItsRecord() {
        AutoReplies.Send send =
                new AutoReplies.Send(7, Command.OPERATOR_CLOSED, "5d0c3f9e-1b7a-4f55-9a61-0c1f2f1b8e11");

        assertThat(json.readValue(json.writeValueAsString(send), AutoReplies.Send.class))
                .isEqualTo(send);
        assertThat(OutboxPayload.kindOf(AutoReplies.Send.class)).isEqualTo("autoreply.send");
    }

    @Test
    void aSendQueuedBeforeCommandsHadIdsIsReadWithTheIdV65GaveIt() {
        // V65 copied issueUpdatedAt into commandId; the old field stays in the row.
        String queued =
                "{\"incident\":7,\"command\":\"OPERATOR_CLOSED\",\"issueUpdatedAt\":\"2026-11-20T08:05:00.123Z\","
                        + "\"commandId\":\"2026-11-20T08:05:00.123Z\"}";

        assertThat(json.readValue(queued, AutoReplies.Send.class))
                .isEqualTo(new AutoReplies.Send(7, Command.OPERATOR_CLOSED, "2026-11-20T08:05:00.123Z"));
    }
}
