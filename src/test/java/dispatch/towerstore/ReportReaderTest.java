package dispatch.towerstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportReaderTest {

    @TempDir
    Path dir;

    @Test
    void readsRowsAfterAByteOrderMarkIgnoringUnknownColumnsAndBlankCells() throws Exception {
        Path file = write("\uFEFF[{\"a\": \" x \", \"extra\": {\"n\": [1]}, \"b\": NaN},"
                + " {\"b\": 2.5, \"a\": \"\"}, 7, {\"a\": [1], \"b\": null}]");
        List<ReportReader.Row> rows = new ArrayList<>();

        int n = ReportReader.read(file, List.of("a", "b"), rows::add);

        assertThat(n).isEqualTo(4);
        assertThat(rows.get(0).values()).containsExactly("x", "NaN");
        assertThat(rows.get(0).problem()).isNull();
        assertThat(rows.get(1).values()).containsExactly(null, "2.5");
        assertThat(rows.get(2).problem()).isEqualTo("not a JSON object");
        assertThat(rows.get(3).problem()).isEqualTo("«a» is not a plain value");
    }

    @Test
    void aColumnMissingFromTheFirstRowFailsTheReportNamingIt() throws Exception {
        Path file = write("[{\"a\": 1}, {\"a\": 2, \"b\": 3}]");

        assertThatThrownBy(() -> ReportReader.read(file, List.of("a", "b"), r -> {}))
                .isInstanceOf(ReportException.class)
                .hasMessageContaining("«b»");
    }

    @Test
    void truncatedReportFails() throws Exception {
        Path file = write("[{\"a\": 1, \"b\": 2}, {\"a\": 3,");

        assertThatThrownBy(() -> ReportReader.read(file, List.of("a", "b"), r -> {}))
                .isInstanceOf(ReportException.class)
                .hasMessageContaining("invalid JSON");
    }

    @Test
    void emptyReportFailsRatherThanRemovingEverything() throws Exception {
        Path file = write("[]");

        assertThatThrownBy(() -> ReportReader.read(file, List.of("a"), r -> {}))
                .isInstanceOf(ReportException.class)
                .hasMessageContaining("no rows");
    }

    @Test
    void somethingOtherThanAnArrayFails() throws Exception {
        Path file = write("{\"rows\": []}");

        assertThatThrownBy(() -> ReportReader.read(file, List.of("a"), r -> {}))
                .isInstanceOf(ReportException.class)
                .hasMessageContaining("not a JSON array");
    }

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("r.json"), json, StandardCharsets.UTF_8);
    }
}
