package dispatch.autoreply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dispatch.platform.DispatchProperties;
import dispatch.tracker.StatusCommandIssued.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The auto-reply texts: today's by default, an operator's file instead, and a file with a wrong name refused. */
class TemplatesTest {

    @TempDir
    Path data;

    @Test
    void theBuiltInTextsAreTodays() {
        Templates templates = templates();

        assertThat(templates.render(Command.OPERATOR_IN_WORK, operator("")))
                .isEqualTo("Заявка \"DISPATCH-7\" принята в работу.");
        assertThat(templates.render(Command.OPERATOR_CLOSED, operator(""))).isEqualTo("Заявка \"DISPATCH-7\" закрыта.");
        assertThat(templates.render(Command.OPERATOR_CLOSED, operator("12 ч")))
                .isEqualTo("Заявка \"DISPATCH-7\" закрыта. Если работы выполнены не полностью, ответьте на это письмо"
                        + " в течение 12 ч: после этого заявка будет закрыта автоматически.");
    }

    @Test
    void theContractorsTextListsWhatIsKnownAndLeavesOutWhatIsNot() {
        Map<String, Object> all = new HashMap<>(Map.of(
                "poleCode", "12345-01",
                "region", "Ростовская область",
                "address", "ул. Мира, 1",
                "coordinates", "47.2, 39.7",
                "baseStation", "БС-1",
                "operators", "Альфа, Бета",
                "registeredAt", "01.12.2026 09:40",
                "slaDeadline", "01.12.2026 13:40",
                "typeName", "Авария",
                "typeDescription", "Нет питания"));
        all.put("hasHistory", true);
        all.put(
                "history",
                List.of(
                        Map.of("number", 1, "sentAt", "01.12.2026 09:40", "text", "Нет связи {{key}}"),
                        Map.of("number", 2, "sentAt", "—", "text", "Ещё")));

        assertThat(templates().render(Command.CONTRACTOR_IN_WORK, all))
                .isEqualTo(String.join(
                        "\n",
                        "На вас назначен новый инцидент.",
                        "ИНФОРМАЦИЯ ОБ ОПОРЕ:",
                        "   • Шифр опоры: 12345-01",
                        "   • Регион: Ростовская область",
                        "   • Адрес: ул. Мира, 1",
                        "   • Координаты: 47.2, 39.7",
                        "",
                        "ИНФОРМАЦИЯ О БАЗОВОЙ СТАНЦИИ:",
                        "   • Номер БС: БС-1",
                        "   • Операторы: Альфа, Бета",
                        "",
                        "ДЕТАЛИ ИНЦИДЕНТА:",
                        "   • Дата регистрации: 01.12.2026 09:40",
                        "   • SLA дедлайн: 01.12.2026 13:40",
                        "   • Тип инцидента: Авария",
                        "   • Описание типа: Нет питания",
                        "",
                        "ИСТОРИЯ ПЕРЕПИСКИ:",
                        "------------------------------",
                        "",
                        "*Сообщение №1 *(01.12.2026 09:40):",
                        "Нет связи {{key}}",
                        "",
                        "*Сообщение №2 *(—):",
                        "Ещё",
                        "",
                        "",
                        "ВАЖНО: НЕ МЕНЯЙТЕ ТЕМУ ПИСЬМА ПРИ ОТВЕТЕ"));
        assertThat(templates()
                        .render(
                                Command.CONTRACTOR_IN_WORK,
                                Map.of(
                                        "poleCode",
                                        "12345-01",
                                        "registeredAt",
                                        "01.12.2026 09:40",
                                        "hasHistory",
                                        false,
                                        "history",
                                        List.of())))
                .isEqualTo(String.join(
                        "\n",
                        "На вас назначен новый инцидент.",
                        "ИНФОРМАЦИЯ ОБ ОПОРЕ:",
                        "   • Шифр опоры: 12345-01",
                        "",
                        "ДЕТАЛИ ИНЦИДЕНТА:",
                        "   • Дата регистрации: 01.12.2026 09:40",
                        "",
                        "",
                        "ВАЖНО: НЕ МЕНЯЙТЕ ТЕМУ ПИСЬМА ПРИ ОТВЕТЕ"));
    }

    @Test
    void aFileInTheTemplatesDirectoryReplacesTheBuiltInText() throws IOException {
        write(
                "operator-in-work.mustache",
                "Добрый день! Заявка {{key}} ({{summary}}) в работе.\n<без экранирования>\n");

        assertThat(templates().render(Command.OPERATOR_IN_WORK, operator("")))
                .isEqualTo("Добрый день! Заявка DISPATCH-7 (Нет связи & питания) в работе.\n<без экранирования>");
        assertThat(templates().render(Command.OPERATOR_CLOSED, operator("")))
                .isEqualTo("Заявка \"DISPATCH-7\" закрыта.");
    }

    @Test
    void aFileNamingAnUnknownVariableIsRefusedNamingTheFileAndTheVariable() throws IOException {
        Path file = write("operator-closed.mustache", "Заявка {{key}} закрыта {{#closedAt}}{{closedBy}}{{/closedAt}}.");

        assertThatThrownBy(this::templates)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("[closedAt, closedBy]");
    }

    @Test
    void aFileThatDoesNotParseIsRefusedNamingTheFile() throws IOException {
        Path file = write("contractor-in-work.mustache", "{{#history}}без конца секции");

        assertThatThrownBy(this::templates)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toAbsolutePath() + " does not parse");
    }

    @Test
    void waitsReadAsTheRequesterReadsThem() {
        assertThat(Texts.duration(Duration.ofHours(12))).isEqualTo("12 ч");
        assertThat(Texts.duration(Duration.ofMinutes(90))).isEqualTo("1 ч 30 мин");
        assertThat(Texts.duration(Duration.ofMinutes(45))).isEqualTo("45 мин");
        assertThat(Texts.duration(Duration.ofSeconds(30))).isEqualTo("30 с");
    }

    private Map<String, Object> operator(String autoCloseAfter) {
        return Map.of(
                "key",
                "DISPATCH-7",
                "code",
                "INC-7",
                "summary",
                "Нет связи & питания",
                "autoCloseAfter",
                autoCloseAfter);
    }

    private Path write(String name, String text) throws IOException {
        Files.createDirectories(data.resolve("templates"));
        return Files.writeString(data.resolve("templates").resolve(name), text, StandardCharsets.UTF_8);
    }

    private Templates templates() {
        AutoReplyProperties settings = new AutoReplyProperties(
                Duration.ofSeconds(60),
                Duration.ofMinutes(10),
                10,
                List.of(),
                Duration.ofDays(30),
                5,
                Duration.ofSeconds(40),
                null,
                Duration.ofHours(12));
        DispatchProperties platform = new DispatchProperties("test", ZoneId.of("Europe/Moscow"), data, false);
        return new Templates(settings, platform);
    }
}
