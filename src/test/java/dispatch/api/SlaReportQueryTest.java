package dispatch.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SlaReportQueryTest {

    static final ZoneId MOSCOW = ZoneId.of("Europe/Moscow");
    static final Instant NOW = Instant.parse("2026-11-30T21:30:00Z"); // 00:30 on 1 December in Moscow

    @Test
    void withoutParametersTheLastMonthUpToAndIncludingTodayInTheServiceZoneByType() {
        SlaReportQuery q = parse(Map.of());

        assertThat(q.to()).isEqualTo(LocalDate.parse("2026-12-02")); // today is 1 December there
        assertThat(q.from()).isEqualTo(LocalDate.parse("2026-11-02"));
        assertThat(q.start()).isEqualTo(Instant.parse("2026-11-01T21:00:00Z"));
        assertThat(q.end()).isEqualTo(Instant.parse("2026-12-01T21:00:00Z"));
        assertThat(q.groupBy()).isEqualTo(SlaReportQuery.GroupBy.TYPE);
        assertThat(q.format()).isEqualTo(ReportQuery.Format.JSON);
    }

    @Test
    void fromIsInclusiveToExclusiveWholeLocalDays() {
        SlaReportQuery q = parse(Map.of("from", "2026-11-01", "to", "2026-12-01", "group_by", "Region"));

        assertThat(q.start()).isEqualTo(Instant.parse("2026-10-31T21:00:00Z"));
        assertThat(q.end()).isEqualTo(Instant.parse("2026-11-30T21:00:00Z"));
        assertThat(q.groupBy()).isEqualTo(SlaReportQuery.GroupBy.REGION);
    }

    @Test
    void onlyFromRunsUpToTomorrowAndOnlyToStartsAMonthBefore() {
        assertThat(parse(Map.of("from", "2026-01-01")).to()).isEqualTo(LocalDate.parse("2026-12-02"));
        assertThat(parse(Map.of("to", "2026-03-31")).from()).isEqualTo(LocalDate.parse("2026-02-28"));
    }

    @Test
    void csvByFormatOrAcceptWithItsSeparator() {
        assertThat(parse(Map.of("format", "csv", "separator", ";")).format())
                .isEqualTo(ReportQuery.Format.CSV_SEMICOLON);
        assertThat(SlaReportQuery.parse(Map.of(), "text/csv", NOW, MOSCOW).format())
                .isEqualTo(ReportQuery.Format.CSV_COMMA);
    }

    @ParameterizedTest(name = "{0}={1} -> 400 naming {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "from|2026-13-01|from",
                "from|2026-02-30|from",
                "from|01.11.2026|from",
                "from|2026-11-01T00:00:00|from",
                "to|tomorrow|to",
                "to|'2026-11-01 '|to",
                "from|1999-12-31|from",
                "to|2100-01-02|to",
                "from|+999999999-12-31|from",
                "from|-999999999-01-01|from",
                "group_by|types|group_by",
                "group_by|type,region|group_by",
                "group_by|pole|group_by",
                "format|xlsx|format",
                "separator|tab|separator",
                "grop_by|type|grop_by",
                "from[]|2026-11-01|from[]",
                "|2026-11-01|(empty name)"
            })
    void aBadValueOrNameIsA400NamingTheParameter(String name, String value, String named) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put(name == null ? "" : name, value);

        assertThatThrownBy(() -> parse(parameters))
                .isInstanceOfSatisfying(
                        ReportQuery.BadParameter.class,
                        e -> assertThat(e.parameter()).isEqualTo(named));
    }

    @ParameterizedTest(name = "from {0} to {1}")
    @CsvSource({"2026-11-02, 2026-11-01", "2026-11-01, 2026-11-01", "2000-01-01, 2020-01-02", "2027-01-01,"})
    void fromNotBeforeToOrAPeriodOverTwentyYearsIsRefused(String from, String to) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("from", from);
        if (to != null) parameters.put("to", to);

        assertThatThrownBy(() -> parse(parameters)).isInstanceOf(ReportQuery.BadParameter.class);
    }

    @Test
    void twentyYearsExactlyAreAllowed() {
        assertThat(parse(Map.of("from", "2000-01-01", "to", "2020-01-01")).start())
                .isEqualTo(Instant.parse("1999-12-31T21:00:00Z"));
    }

    @Test
    void aParameterGivenTwiceIsRefusedEvenWithTheSameValidValue() {
        Map<String, String> valid =
                Map.of("from", "2026-11-01", "to", "2026-12-01", "group_by", "type", "format", "csv", "separator", ";");
        assertThat(valid.keySet()).isEqualTo(SlaReportQuery.PARAMETERS);
        for (String name : SlaReportQuery.PARAMETERS) {
            Map<String, String[]> twice = Map.of(name, new String[] {valid.get(name), valid.get(name)});

            assertThatThrownBy(() -> SlaReportQuery.parse(twice, null, NOW, MOSCOW))
                    .isInstanceOfSatisfying(
                            ReportQuery.BadParameter.class,
                            e -> assertThat(e.parameter()).isEqualTo(name));
        }
    }

    /** Random strings from a hostile alphabet: every answer is a parsed query or a BadParameter, never another error. */
    @Test
    void generatedGarbageIsEitherAValidQueryOrA400() {
        Random random = new Random(27);
        String alphabet = "0123456789-+:.TZ ,;/\\%'\"\u0000\n\u202Eабв𝟘\uFEFFtypergionctadsjfm_=&[]";
        String[] names = {"from", "to", "group_by", "format", "separator", "FROM", "from ", ""};
        int valid = 0;
        for (int i = 0; i < 20_000; i++) {
            Map<String, String[]> parameters = new LinkedHashMap<>();
            for (int p = random.nextInt(4); p > 0; p--) {
                String[] values = new String[1 + (random.nextInt(10) == 0 ? 1 : 0)];
                for (int v = 0; v < values.length; v++) values[v] = garbage(random, alphabet, i);
                parameters.put(names[random.nextInt(names.length)], values);
            }
            try {
                SlaReportQuery q = SlaReportQuery.parse(parameters, garbage(random, alphabet, i), NOW, MOSCOW);
                assertThat(q.start()).isBefore(q.end());
                valid++;
            } catch (ReportQuery.BadParameter e) {
                assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(200);
                assertThat(e.parameter()).doesNotContain("\u0000", "\n").hasSizeLessThanOrEqualTo(40);
            }
        }
        assertThat(valid).as("some generated queries are valid").isPositive();
    }

    private static String garbage(Random random, String alphabet, int i) {
        if (i % 3 == 0) {
            // near misses of valid dates
            return LocalDate.of(2026, 1, 1)
                            .plusDays(random.nextInt(4000) - 2000)
                            .toString()
                    + (random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : "");
        }
        StringBuilder s = new StringBuilder();
        for (int n = random.nextInt(14); n > 0; n--) s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return s.toString();
    }

    private static SlaReportQuery parse(Map<String, String> single) {
        Map<String, String[]> parameters = new LinkedHashMap<>();
        single.forEach((k, v) -> parameters.put(k, new String[] {v}));
        return SlaReportQuery.parse(parameters, null, NOW, MOSCOW);
    }
}
