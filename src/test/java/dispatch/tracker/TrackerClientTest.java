package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.standin.tracker.FakeTracker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every method of the client against the fake Tracker. */
class TrackerClientTest {

    TrackerFixture fixture;
    FakeTracker tracker;
    TrackerClient client;

    @BeforeEach
    void clean() {
        fixture = TrackerFixture.shared();
        tracker = fixture.tracker;
        client = fixture.client(fixture.properties(), 2);
    }

    @Test
    void createsReadsAndPatchesAnIssue() {
        TrackerIssue created = client.create(issue("Pole 17 down"), "incident-1");

        assertThat(created.key()).isEqualTo("DISPATCH-1");
        assertThat(created.id()).matches("[0-9a-f]{24}");
        assertThat(created.version()).isEqualTo(1);
        assertThat(created.statusKey()).isEqualTo("open");
        assertThat(created.createdAt()).isEqualTo(created.updatedAt());
        assertThat(created.resolvedAt()).isNull();
        assertThat(created.text("localId")).isEqualTo("1");
        assertThat(created.time("emailDatetime")).hasValue(java.time.Instant.parse("2026-11-28T07:00:00Z"));
        assertThat(created.assigneeUid()).isEqualTo("1130000070000002");

        Map<String, Object> changes = new HashMap<>();
        changes.put("summary", "Pole 17 down, generator on site");
        changes.put("poleNumber", null);
        TrackerIssue patched = client.patch("DISPATCH-1", changes);

        assertThat(patched.version()).isEqualTo(2);
        assertThat(patched.text("poleNumber")).isNull();
        assertThat(client.get("DISPATCH-1").text("summary")).isEqualTo("Pole 17 down, generator on site");
    }

    @Test
    void creatingWithAUniqueThatExistsReturnsTheExistingIssue() {
        TrackerIssue first = client.create(issue("first"), "incident-2");
        TrackerIssue again = client.create(issue("again"), "incident-2");

        assertThat(again.key()).isEqualTo(first.key());
        assertThat(tracker.issues()).hasSize(1);
        assertThat(tracker.callCount("POST /issues/_findByUnique")).isEqualTo(1);
    }

    @Test
    void unknownIssueIsNotFound() {
        assertThatThrownBy(() -> client.get("DISPATCH-404")).isInstanceOfSatisfying(TrackerException.class, e -> {
            assertThat(e.notFound()).isTrue();
            assertThat(e.transientFailure()).isFalse();
        });
    }

    @Test
    void commentsAreAddedAndReadBackAcrossPagesOldestFirst() {
        String key = client.create(issue("comments"), "incident-3").key();
        List<Long> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            ids.add(client.comment(key, "mail " + i, List.of()));
        }

        List<TrackerComment> comments = client.comments(key);

        assertThat(comments).extracting(TrackerComment::id).containsExactlyElementsOf(ids);
        assertThat(comments)
                .extracting(TrackerComment::text)
                .startsWith("mail 1")
                .endsWith("mail 5");
        assertThat(tracker.callCount("GET /issues/{key}/comments")).isEqualTo(3);
    }

    @Test
    void uploadedFileIsAttachedToAComment(@TempDir Path dir) throws Exception {
        String key = client.create(issue("attachments"), "incident-4").key();
        Path file = Files.writeString(dir.resolve("report.txt"), "generator log");

        String attachment = client.upload("отчёт.txt", file);
        client.comment(key, "see the log", List.of(attachment));

        assertThat(attachment).isNotBlank();
        assertThat(tracker.comments(key).get(0).toString()).contains("отчёт.txt");
    }

    @Test
    void searchThatFitsOnePageCostsOneRequest() {
        for (int i = 0; i < 2; i++) client.create(issue("s" + i), "search-" + i);
        List<String> keys = new ArrayList<>();

        int requests = client.search(Map.of("queue", "DISPATCH"), "+key", i -> keys.add(i.key()));

        assertThat(requests).isEqualTo(1);
        assertThat(keys).containsExactly("DISPATCH-1", "DISPATCH-2");
    }

    @Test
    void searchReadsEveryPageAndStopsAtTheLastWithoutAnEmptyOne() {
        for (int i = 0; i < 5; i++) client.create(issue("s" + i), "pages-" + i);
        List<String> keys = new ArrayList<>();

        int requests = client.search(Map.of("queue", "DISPATCH"), "+key", i -> keys.add(i.key()));

        assertThat(requests).isEqualTo(3);
        assertThat(keys).containsExactly("DISPATCH-1", "DISPATCH-2", "DISPATCH-3", "DISPATCH-4", "DISPATCH-5");
        assertThat(tracker.callCount("POST /issues/_search")).isEqualTo(3);
    }

    @Test
    void searchOverThePageLimitScrolls() {
        for (int i = 0; i < 5; i++) client.create(issue("s" + i), "scroll-" + i);
        List<String> keys = new ArrayList<>();

        client = fixture.client(fixture.properties(), 1, 3);
        client.search(Map.of("queue", "DISPATCH"), null, i -> keys.add(i.key()));

        assertThat(keys)
                .containsExactlyInAnyOrder("DISPATCH-1", "DISPATCH-2", "DISPATCH-3", "DISPATCH-4", "DISPATCH-5");
    }

    @Test
    void transitionGoesThroughTheFirstTransitionToTheStatus() {
        String key = client.create(issue("transition"), "incident-6").key();

        assertThat(client.transition(key, "inProgress", "Taken")).isTrue();
        assertThat(client.get(key).statusKey()).isEqualTo("inProgress");

        tracker.resetCalls();
        assertThat(client.transition(key, "no-such-status", "never")).isFalse();
        assertThat(tracker.callCount("POST /issues/{key}/transitions/{id}/_execute"))
                .isZero();
    }

    @Test
    void usersComeFromEveryPageAndAreCached() {
        List<TrackerUser> users = client.users();

        assertThat(users)
                .extracting(TrackerUser::login)
                .containsExactly("yndx-tracker-cnt-robot", "dispatcher", "petrov");
        assertThat(users.get(1).uid()).isEqualTo("1130000070000002");
        int calls = tracker.callCount("GET /users");
        assertThat(calls).isEqualTo(2);

        client.users();
        assertThat(tracker.callCount("GET /users")).isEqualTo(calls);
        fixture.clock.advance(Duration.ofMinutes(6));
        client.users();
        assertThat(tracker.callCount("GET /users")).isEqualTo(calls * 2);
    }

    @Test
    void localFieldIdIsTheFullKeyAndCached() {
        assertThat(client.localFieldId("typeOfIncident")).isEqualTo(tracker.localFieldId("typeOfIncident"));
        assertThat(client.localFieldId(tracker.localFieldId("typeOfIncident")))
                .isEqualTo(tracker.localFieldId("typeOfIncident"));
        assertThat(tracker.callCount("GET /queues/{key}/localFields")).isEqualTo(1);
        assertThatThrownBy(() -> client.localFieldId("noSuchField"))
                .isInstanceOfSatisfying(
                        TrackerException.class, e -> assertThat(e.notFound()).isTrue());
    }

    private static Map<String, Object> issue(String summary) {
        Map<String, Object> fields = new HashMap<>();
        fields.put("queue", "DISPATCH");
        fields.put("summary", summary);
        fields.put("type", "incident");
        fields.put("localId", 1);
        fields.put("emailDatetime", "2026-11-28T10:00:00+03:00");
        fields.put("assignee", "dispatcher");
        fields.put("poleNumber", "P-17");
        return fields;
    }
}
