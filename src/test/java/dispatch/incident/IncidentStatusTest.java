package dispatch.incident;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IncidentStatusTest {

    @Test
    void everyStatusIsARowOfTheVocabularyTheDatabaseIsSeededWithAndEveryRowIsAStatus() throws IOException {
        List<String> texts =
                Arrays.stream(IncidentStatus.values()).map(IncidentStatus::text).toList();

        assertThat(texts).containsExactlyInAnyOrderElementsOf(seededStatusNames());
    }

    @Test
    void aStatusIsFoundByItsTextAndAnUnknownTextIsRefused() {
        for (IncidentStatus status : IncidentStatus.values()) {
            assertThat(IncidentStatus.fromText(status.text())).isEqualTo(status);
        }
        assertThatThrownBy(() -> IncidentStatus.fromText("закрыт")).isInstanceOf(IllegalArgumentException.class);
    }

    /** The names of the {@code insert into incident_status} statement of the repeatable migration. */
    private static List<String> seededStatusNames() throws IOException {
        String sql;
        try (InputStream in =
                IncidentStatusTest.class.getResourceAsStream("/db/migration/R__incident_default_data.sql")) {
            sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String statuses = sql.substring(sql.indexOf("insert into incident_status"));
        statuses = statuses.substring(0, statuses.indexOf("on conflict"));
        Matcher row = Pattern.compile("\\(\\s*'([^']*)'").matcher(statuses);
        List<String> names = new ArrayList<>();
        while (row.find()) names.add(row.group(1));
        assertThat(names).as("rows found in the migration").hasSizeGreaterThan(5);
        return names;
    }
}
