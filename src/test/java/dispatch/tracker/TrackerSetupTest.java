package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.standin.tracker.FakeTracker;
import dispatch.standin.tracker.FakeTracker.Field;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** tracker-setup against a complete and an incomplete fake queue (decision 0022). */
class TrackerSetupTest {

    private final List<String> types = List.of("Авария ВОЛС", "Авария по питанию РФ");
    private TrackerFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) fixture.close();
    }

    @Test
    void aCompleteQueuePassesTheCheck() {
        fixture = new TrackerFixture(FakeTracker.Settings.defaults());
        fixture.tracker.fieldOptions("typeOfIncident", types);

        Output out = new Output();
        int exit = TrackerSetupCommand.run(setup(), false, out.stream);

        assertThat(setup().check()).isEmpty();
        assertThat(exit).isZero();
        assertThat(out.text()).doesNotContain("missing:");
    }

    @Test
    void anIncompleteQueueIsListedAndApplyCreatesWhatTheApiAllows() {
        FakeTracker.Settings complete = FakeTracker.Settings.defaults();
        fixture = new TrackerFixture(complete.toBuilder()
                .globalFields(complete.globalFields().stream()
                        .filter(f -> !f.key().equals("slaDeadline") && !f.key().equals("avrName"))
                        .toList())
                .localFields(List.of())
                .statuses(complete.statuses().stream()
                        .filter(s -> !s.key().startsWith("notifiedContractor"))
                        .toList())
                .build());

        assertThat(setup().check())
                .extracting(TrackerSetup.Finding::text)
                .containsExactly(
                        "Global field slaDeadline (datetime) is missing",
                        "Global field avrName (string) is missing",
                        "Local field typeOfIncident of queue DISPATCH is missing",
                        "Status notifiedContractorInWork does not exist (add it to the queue's workflow by hand)");
        Output out = new Output();
        assertThat(TrackerSetupCommand.run(setup(), false, out.stream)).isEqualTo(1);
        assertThat(out.text()).contains("missing: Global field slaDeadline", "(tracker-setup --apply creates it)");

        Output applied = new Output();
        int exit = TrackerSetupCommand.run(setup(), true, applied.stream);

        assertThat(exit).as("the status still needs a person").isEqualTo(1);
        assertThat(applied.text())
                .contains(
                        "done: Created global field slaDeadline (datetime)",
                        "done: Created global field avrName (string)",
                        "done: Created local field typeOfIncident with the 2 incident types as its values",
                        "Steps for a queue administrator",
                        "notifyContractorInWork → notifiedContractorInWork");
        assertThat(setup().check())
                .extracting(TrackerSetup.Finding::text)
                .containsExactly(
                        "Status notifiedContractorInWork does not exist (add it to the queue's workflow by hand)");
        assertThat(fixture.tracker.fieldOptions("typeOfIncident")).isEqualTo(types);
    }

    @Test
    void typeFieldValuesThatDifferFromTheIncidentTypesAreFoundAndReplaced() {
        fixture = new TrackerFixture(FakeTracker.Settings.defaults());
        fixture.tracker.fieldOptions("typeOfIncident", List.of("Авария ВОЛС", "Старый тип"));

        assertThat(setup().check())
                .extracting(TrackerSetup.Finding::text)
                .containsExactly("Local field typeOfIncident values differ from the incident types: missing"
                        + " [Авария по питанию РФ], extra [Старый тип]");
        setup().apply();

        assertThat(fixture.tracker.fieldOptions("typeOfIncident")).isEqualTo(types);
        assertThat(setup().check()).isEmpty();
    }

    @Test
    void aFieldOfTheWrongTypeOrAMissingQueueIsReportedNotCreated() {
        FakeTracker.Settings complete = FakeTracker.Settings.defaults();
        fixture = new TrackerFixture(complete.toBuilder()
                .globalFields(complete.globalFields().stream()
                        .map(f -> f.key().equals("localId") ? new Field("localId", Field.STRING) : f)
                        .toList())
                .build());
        fixture.tracker.fieldOptions("typeOfIncident", types);

        assertThat(setup().check())
                .singleElement()
                .satisfies(f ->
                        assertThat(f.text()).startsWith("Global field localId has type string, Dispatch needs integer"))
                .satisfies(f -> assertThat(f.creatable()).isFalse());
        var properties = fixture.properties();
        properties.put("queue", "NOPE");
        assertThat(new TrackerSetup(fixture.client(properties, 100), TrackerFixture.settings(properties), () -> types)
                        .check())
                .extracting(TrackerSetup.Finding::text)
                .containsExactly("Queue NOPE does not exist (create it in Tracker)");
    }

    private TrackerSetup setup() {
        return new TrackerSetup(fixture.client(), TrackerFixture.settings(fixture.properties()), () -> types);
    }

    private static final class Output {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
