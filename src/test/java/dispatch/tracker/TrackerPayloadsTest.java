package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.OutboxPayload;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The Tracker feature's outbox payloads read the rows queued before they were records, under the same kinds. */
class TrackerPayloadsTest {

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void queuedIssueAndCommentWorkIsReadAsItsRecord() {
        assertThat(json.readValue("{\"incident\":7,\"mail\":42}", PushTriggers.CreateIssue.class))
                .isEqualTo(new PushTriggers.CreateIssue(7, 42));
        assertThat(json.readValue("{\"incident\":7,\"mail\":43}", PushTriggers.CommentMail.class))
                .isEqualTo(new PushTriggers.CommentMail(7, 43));
    }

    @Test
    void aQueuedTransitionIsReadAsItsRecordAndWrittenBackInTheSameShape() {
        String queued =
                "{\"incident\":7,\"from\":[\"notifyOperator\",\"error\"],\"to\":\"notified\",\"comment\":\"ok\"}";

        StatusCommandOutcomes.Transition read = json.readValue(queued, StatusCommandOutcomes.Transition.class);

        assertThat(read)
                .isEqualTo(
                        new StatusCommandOutcomes.Transition(7, List.of("notifyOperator", "error"), "notified", "ok"));
        assertThat(json.readTree(json.writeValueAsString(read))).isEqualTo(json.readTree(queued));
    }

    @Test
    void eachPayloadNamesTheKindItsRowsAreStoredUnder() {
        assertThat(OutboxPayload.kindOf(PushTriggers.CreateIssue.class)).isEqualTo("tracker.create-issue");
        assertThat(OutboxPayload.kindOf(PushTriggers.CommentMail.class)).isEqualTo("tracker.comment");
        assertThat(OutboxPayload.kindOf(StatusCommandOutcomes.Transition.class))
                .isEqualTo("tracker.command-transition");
    }
}
