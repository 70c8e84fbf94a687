package dispatch.standin;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The sample TowerStore reports and mails under {@code data/samples} are well-formed and agree with each other. */
class SampleDataTest {

    private static final Path SAMPLES = Path.of("data/samples");
    private static final Map<String, List<String>> COLUMNS = Map.of(
            "poles",
            List.of(
                    "SiteId",
                    "Шифр",
                    "Имя БС",
                    "Статус опоры",
                    "Широта",
                    "Долгота",
                    "Высота опоры",
                    "Регион",
                    "Адрес",
                    "Инфраструктурная компания",
                    "Якорный оператор",
                    "RegionRu"),
            "contractors",
            List.of(
                    "Подрядчик",
                    "Исключен из договора",
                    "Шифр опоры",
                    "Контактные данные подрядчика Email",
                    "Контактные данные подрядчика Телефон"),
            "base_stations",
            List.of("Шифр опоры", "Имя БС/Оборудование", "Оператор", "Группа операторов"));
    /** The separators the pole/BS text extraction replaces with spaces before splitting on whitespace. */
    private static final Pattern SEPARATORS = Pattern.compile("[\\[\\](){}:|,.;'\"`/\\\\]");

    private static final Map<String, JsonNode> reports = new HashMap<>();
    private static final Map<Path, MimeMessage> mails = new HashMap<>();

    @BeforeAll
    static void load() throws Exception {
        for (String report : COLUMNS.keySet()) {
            reports.put(report, JsonMapper.shared().readTree(SAMPLES.resolve("towerstore/" + report + ".json")));
        }
        Session session = Session.getInstance(new Properties());
        try (Stream<Path> files = Files.list(SAMPLES.resolve("mail"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".eml")).toList()) {
                try (InputStream in = Files.newInputStream(file)) {
                    mails.put(file, new MimeMessage(session, in));
                }
            }
        }
    }

    @Test
    void reportsAreArraysOfFlatObjectsWithExactlyTheTowerStoreColumns() {
        COLUMNS.forEach((report, columns) -> {
            JsonNode rows = reports.get(report);
            assertThat(rows.isArray()).as(report).isTrue();
            assertThat(rows.size()).as(report).isGreaterThan(5);
            for (JsonNode row : rows) {
                assertThat(row.propertyNames()).as(report).containsExactlyInAnyOrderElementsOf(columns);
                row.forEach(value -> assertThat(value.isContainer()).isFalse());
            }
        });
    }

    @Test
    void poleCodesReferencedByContractorsAndBaseStationsExist() {
        Set<String> poles = values("poles", "Шифр");

        assertThat(values("contractors", "Шифр опоры")).isSubsetOf(poles);
        assertThat(values("base_stations", "Шифр опоры")).isSubsetOf(poles);
        assertThat(poles).allMatch(code -> code.matches("\\d{5}-\\d{2}|\\d{2}-\\d{4}-\\d{2}"), "pole code pattern");
    }

    @Test
    void poleAndBaseStationNamesAreSingleTokensTheTextExtractionFinds() {
        Set<String> names = new HashSet<>(values("poles", "Шифр"));
        names.addAll(values("base_stations", "Имя БС/Оборудование"));
        names.remove("");

        assertThat(names).allMatch(name -> tokens(name).equals(Set.of(name)), "one token with at least 4 digits");
    }

    @Test
    void everyPoleRowNamesItsBaseStation() {
        Set<String> stations = new HashSet<>();
        reports.get("base_stations")
                .forEach(row -> stations.add(row.get("Шифр опоры").asString() + " "
                        + row.get("Имя БС/Оборудование").asString()));

        reports.get("poles")
                .forEach(row -> assertThat(stations)
                        .contains(row.get("Шифр").asString() + " "
                                + row.get("Имя БС").asString()));
    }

    @Test
    void siteIdsAreUniqueAndPoleCodeWithBaseStationIsUnique() {
        List<String> siteIds = new ArrayList<>();
        List<String> poleAndBs = new ArrayList<>();
        reports.get("poles").forEach(row -> {
            siteIds.add(row.get("SiteId").asString());
            poleAndBs.add(row.get("Шифр").asString() + " " + row.get("Имя БС").asString());
        });

        assertThat(siteIds).doesNotHaveDuplicates();
        assertThat(poleAndBs).doesNotHaveDuplicates();
    }

    @Test
    void mailsAreCrlfMimeMessagesToTheDispatchMailboxInNovember2026() throws Exception {
        assertThat(mails).hasSizeBetween(8, 12);
        for (Map.Entry<Path, MimeMessage> entry : mails.entrySet()) {
            String raw = Files.readString(entry.getKey(), StandardCharsets.ISO_8859_1);
            assertThat(raw.replace("\r\n", "")).as(entry.getKey().toString()).doesNotContain("\n", "\r");
            MimeMessage mail = entry.getValue();
            assertThat(mail.getHeader("To", ",")).isEqualTo("dispatch@example.test");
            assertThat(mail.getSubject()).isNotBlank();
            ZonedDateTime sent = mail.getSentDate().toInstant().atZone(ZoneOffset.UTC);
            assertThat(sent.getYear() * 100 + sent.getMonthValue()).isEqualTo(202611);
            assertThat(text(mail)).as(entry.getKey().toString()).isNotBlank();
        }
    }

    @Test
    void messageIdsAreUniqueAndRepliesPointAtOtherSamples() throws Exception {
        Set<String> ids = new HashSet<>();
        for (MimeMessage mail : mails.values()) {
            assertThat(mail.getMessageID()).matches("<[^<>@\\s]+@[^<>@\\s]*example\\.test>");
            assertThat(ids.add(mail.getMessageID())).as(mail.getMessageID()).isTrue();
        }
        int replies = 0;
        for (MimeMessage mail : mails.values()) {
            String inReplyTo = mail.getHeader("In-Reply-To", null);
            if (inReplyTo != null) {
                replies++;
                assertThat(ids).contains(inReplyTo.trim());
                assertThat(inReplyTo.trim()).isNotEqualTo(mail.getMessageID());
            }
            String references = mail.getHeader("References", " ");
            if (references != null) {
                assertThat(Arrays.asList(references.trim().split("\\s+"))).allMatch(ids::contains);
            }
        }
        assertThat(replies).isGreaterThanOrEqualTo(2);
    }

    @Test
    void newIncidentMailsMentionAKnownPoleOrBaseStation() throws Exception {
        Set<String> known = new HashSet<>(values("poles", "Шифр"));
        known.addAll(values("base_stations", "Имя БС/Оборудование"));
        int incidents = 0;
        for (MimeMessage mail : mails.values()) {
            boolean reply =
                    mail.getHeader("In-Reply-To") != null || mail.getSubject().matches("(?i)^re:.*");
            if (reply || mail.getHeader("Auto-Submitted") != null) {
                continue;
            }
            incidents++;
            Set<String> tokens = tokens(mail.getSubject() + "\n" + text(mail));
            assertThat(tokens).as(mail.getSubject()).containsAnyElementsOf(known);
        }
        assertThat(incidents).isGreaterThanOrEqualTo(4);
    }

    @Test
    void samplesCoverTheCasesIntakeMustHandle() throws Exception {
        Map<String, MimeMessage> byName = mails.entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().getFileName().toString(), Map.Entry::getValue));

        assertThat(byName.get("06-reply-code-only.eml").getSubject()).contains("INC-1042");
        assertThat(byName.get("06-reply-code-only.eml").getHeader("In-Reply-To"))
                .isNull();
        assertThat(byName.get("07-html-only.eml").isMimeType("text/html")).isTrue();
        assertThat(byName.get("08-attachment.eml").isMimeType("multipart/mixed"))
                .isTrue();
        Multipart parts = (Multipart) byName.get("08-attachment.eml").getContent();
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("foto_69012-01.png");
        assertThat(parts.getBodyPart(1).getInputStream().readAllBytes()).startsWith(0x89, 'P', 'N', 'G');
        assertThat(byName.get("09-out-of-office.eml").getHeader("Auto-Submitted", null))
                .isEqualTo("auto-replied");
        MimeMessage cp1251 = byName.get("10-windows-1251.eml");
        assertThat(cp1251.getContentType()).containsIgnoringCase("windows-1251");
        assertThat(cp1251.getSubject()).isEqualTo("Нет электропитания на опоре 76052-01");
        assertThat(text(cp1251)).contains("отключение электропитания");
    }

    private static Set<String> values(String report, String column) {
        Set<String> values = new HashSet<>();
        reports.get(report).forEach(row -> values.add(row.get(column).asString()));
        return values;
    }

    /** The tokeniser of the pole/BS text extraction: tokens with at least four digits. */
    private static Set<String> tokens(String text) {
        return Arrays.stream(SEPARATORS.matcher(text).replaceAll(" ").split("\\s+"))
                .filter(t -> t.chars().filter(Character::isDigit).count() >= 4)
                .collect(Collectors.toSet());
    }

    /** All text parts, HTML with tags replaced by spaces. */
    private static String text(Part part) throws Exception {
        if (part.isMimeType("text/plain") && !Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
            return (String) part.getContent();
        }
        if (part.isMimeType("text/html")) {
            return ((String) part.getContent()).replaceAll("<[^>]+>", " ");
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart body = multipart.getBodyPart(i);
                text.append(text(body)).append('\n');
            }
            return text.toString();
        }
        return "";
    }
}
