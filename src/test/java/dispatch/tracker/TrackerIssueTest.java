package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class TrackerIssueTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void readsTheIssueAndItsReferences() {
        TrackerIssue issue = issue("""
                {"key":"DISPATCH-7","id":"593cd211ef7e8a332414f2a7","version":7,
                 "status":{"id":"1","key":"closed"},"createdAt":"2017-06-11T05:16:01.339+0000",
                 "updatedAt":"2017-07-18T13:33:44.291+0000","resolvedAt":"2017-07-18T13:33:44.000+0000",
                 "assignee":{"id":"1130000070000002","display":"Анна"}}
                """);

        assertThat(issue.key()).isEqualTo("DISPATCH-7");
        assertThat(issue.version()).isEqualTo(7);
        assertThat(issue.statusKey()).isEqualTo("closed");
        assertThat(issue.createdAt()).isEqualTo(Instant.parse("2017-06-11T05:16:01.339Z"));
        assertThat(issue.resolvedAt()).isEqualTo(Instant.parse("2017-07-18T13:33:44Z"));
        assertThat(issue.assigneeUid()).isEqualTo("1130000070000002");
        assertThat(issue("{\"key\":\"DISPATCH-8\"}").assigneeUid()).isNull();
    }

    @Test
    void timeAcceptsEveryIsoOffsetForm() {
        TrackerIssue issue = issue("""
                {"key":"K-1","a":"2025-09-17T10:00:00.123+0000","b":"2025-09-17T13:00:00.123456+03:00",
                 "c":"2025-09-17T10:00:00.123Z","d":"2025-09-17T10:00","e":"2025-09-17","f":"soon","g":""}
                """);

        Instant expected = Instant.parse("2025-09-17T10:00:00.123Z");
        assertThat(issue.time("a")).hasValue(expected);
        assertThat(issue.time("b")).hasValue(Instant.parse("2025-09-17T10:00:00.123456Z"));
        assertThat(issue.time("c")).hasValue(expected);
        assertThat(issue.time("d")).hasValue(Instant.parse("2025-09-17T10:00:00Z"));
        assertThat(issue.time("e")).hasValue(Instant.parse("2025-09-17T00:00:00Z"));
        assertThat(issue.time("f")).isEmpty();
        assertThat(issue.time("g")).isEmpty();
        assertThat(issue.time("missing")).isEmpty();
    }

    @Test
    void textOfNumbersListsReferencesAndBlanks() {
        TrackerIssue issue = issue("""
                {"key":"K-1","n":123,"f":1.50,"s":"🟦 В работе","blank":"  ","nul":null,
                 "list":["🟥 Просрочен","x"],"ref":{"id":"2","key":"normal","display":"Medium"}}
                """);

        assertThat(issue.text("n")).isEqualTo("123");
        assertThat(issue.text("f")).isEqualTo("1.5");
        assertThat(issue.text("s")).isEqualTo("🟦 В работе");
        assertThat(issue.text("blank")).isNull();
        assertThat(issue.text("nul")).isNull();
        assertThat(issue.text("missing")).isNull();
        assertThat(issue.text("list")).isEqualTo("🟥 Просрочен, x");
        assertThat(issue.text("ref")).isEqualTo("normal");
    }

    private static TrackerIssue issue(String json) {
        return TrackerIssue.of(JSON.readTree(json));
    }
}
