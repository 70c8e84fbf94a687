package dispatch.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.platform.DispatchProperties;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Each real-world mail in src/test/resources/mail reads the way expected.json says a dispatcher must see it. */
class MimeParserFixturesTest {

    static final Instant INTERNAL_DATE = Instant.parse("2026-11-24T12:00:00Z");
    static final String OWN_DOMAIN = "dispatch.example.test";

    @TempDir
    static Path data;

    static Stream<Map<String, Object>> fixtures() throws Exception {
        try (InputStream in = MimeParserFixturesTest.class.getResourceAsStream("/mail/expected.json")) {
            List<Map<String, Object>> all = JsonMapper.builder().build().readValue(in, new TypeReference<>() {});
            return all.stream();
        }
    }

    static final MailProperties.Limits DEFAULT_LIMITS =
            new MailProperties.Limits(500, org.springframework.util.unit.DataSize.ofKilobytes(256), 1_000_000);

    static ParsedMail parse(String file, List<String> robotSenders) throws Exception {
        return parse(file, robotSenders, 48L * 1024 * 1024);
    }

    static ParsedMail parse(String file, List<String> robotSenders, long maxAttachmentSize) throws Exception {
        byte[] raw;
        try (InputStream in = MimeParserFixturesTest.class.getResourceAsStream("/mail/" + file)) {
            raw = in.readAllBytes();
        }
        FileStore files = new FileStore(new DispatchProperties("test", ZoneId.of("Europe/Moscow"), data, false));
        OwnMessageIds own = new OwnMessageIds(() -> new byte[32], OWN_DOMAIN);
        MimeParser parser = new MimeParser(files, new Classifier(own, robotSenders), maxAttachmentSize, DEFAULT_LIMITS);
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(raw));
        MimeMessage message = new MimeMessage(MimeParser.SESSION, new ByteArrayInputStream(raw));
        return parser.parse(message, sha, INTERNAL_DATE, INTERNAL_DATE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @SuppressWarnings("unchecked")
    void readsLikeTheDispatcherExpects(Map<String, Object> expected) throws Exception {
        ParsedMail mail = parse((String) expected.get("file"), List.of());

        if (expected.containsKey("messageIdSynthetic")) {
            assertThat(mail.messageIdSynthetic()).as("synthetic id").isEqualTo(expected.get("messageIdSynthetic"));
        }
        if (expected.get("messageId") != null) {
            assertThat(mail.messageId()).as("Message-ID").isEqualTo(expected.get("messageId"));
        }
        check(expected, "inReplyTo", mail.inReplyTo());
        check(expected, "references", mail.references());
        check(expected, "subject", mail.subject());
        if (expected.containsKey("fromAddress")) {
            assertThat(mail.from() == null ? null : mail.from().address())
                    .as("from address")
                    .isEqualTo(expected.get("fromAddress"));
        }
        if (expected.containsKey("fromName")) {
            assertThat(
                            mail.from() == null || mail.from().address() == null
                                    ? null
                                    : mail.from().name())
                    .as("from name")
                    .isEqualTo(expected.get("fromName"));
        }
        if (expected.containsKey("fromRaw")) {
            assertThat(mail.from().name()).as("malformed From kept as text").isEqualTo(expected.get("fromRaw"));
        }
        check(expected, "to", addresses(mail.to()));
        if (expected.containsKey("cc")) {
            assertThat(addresses(mail.cc())).as("cc").isEqualTo(expected.get("cc"));
        }
        if (expected.containsKey("toCount")) {
            assertThat(mail.to()).as("recipients").hasSize((Integer) expected.get("toCount"));
        }
        if (expected.containsKey("date")) {
            Instant date = "INTERNALDATE".equals(expected.get("date"))
                    ? INTERNAL_DATE
                    : Instant.parse((String) expected.get("date"));
            assertThat(mail.sentAt()).as("date").isEqualTo(date);
        }
        if (Boolean.TRUE.equals(expected.get("dateNote"))) {
            assertThat(mail.notes()).as("notes").anyMatch(n -> n.toLowerCase().contains("date"));
        }
        for (String part : (List<String>) expected.getOrDefault("bodyContains", List.of())) {
            assertThat(mail.bodyText()).as("body").contains(part);
        }
        for (String part : (List<String>) expected.getOrDefault("bodyNotContains", List.of())) {
            assertThat(mail.bodyText()).as("body").doesNotContain(part);
        }
        if (expected.containsKey("bodyHtmlPresent")) {
            assertThat(mail.bodyHtml() != null).as("html kept").isEqualTo(expected.get("bodyHtmlPresent"));
        }
        if (expected.containsKey("attachments")) {
            List<Map<String, Object>> attachments = (List<Map<String, Object>>) expected.get("attachments");
            assertThat(mail.attachments()).as("attachments").hasSize(attachments.size());
            for (int i = 0; i < attachments.size(); i++) {
                Map<String, Object> a = attachments.get(i);
                ParsedMail.Attachment actual = mail.attachments().get(i);
                assertThat(actual.fileName()).as("file name " + i).isEqualTo(a.get("fileName"));
                assertThat(actual.contentType()).as("content type " + i).isEqualTo(a.get("contentType"));
                assertThat(actual.size()).as("size " + i).isEqualTo(((Number) a.get("size")).longValue());
                assertThat(actual.inline()).as("inline " + i).isEqualTo(a.get("inline"));
                assertThat(actual.contentId()).as("content id " + i).isEqualTo(a.get("contentId"));
                assertThat(Files.exists(files().attachmentPath(actual.sha256())))
                        .as("content stored " + actual)
                        .isTrue();
            }
        }
        check(expected, "origin", mail.classification().origin().name());
        check(expected, "autoKind", mail.classification().autoKind().name());
        if (expected.containsKey("bounce")) {
            Map<String, Object> b = (Map<String, Object>) expected.get("bounce");
            var bounce = mail.classification().bounce();
            assertThat(bounce.finalRecipient()).as("final recipient").isEqualTo(b.get("finalRecipient"));
            assertThat(bounce.status()).as("status").isEqualTo(b.get("status"));
            assertThat(bounce.originalMessageId()).as("original id").isEqualTo(b.get("originalMessageId"));
        }
    }

    @Test
    void alarmRobotsListedAsRobotSendersOpenIncidentsLikePeople() throws Exception {
        ParsedMail alarm = parse("44-noc-auto-generated-not-autoreply.eml", List.of("@noc.operator.example.org"));

        assertThat(alarm.from().address()).endsWith("@noc.operator.example.org");
        assertThat(alarm.classification().autoKind()).isEqualTo(AutoKind.NONE);
    }

    @Test
    void anAttachmentOverTheLimitIsRecordedByNameAndSizeWithAReasonAndTheMailStillRead() throws Exception {
        ParsedMail mail = parse("11-attachment-rfc2231-name.eml", List.of(), 10);

        ParsedMail.Attachment attachment = mail.attachments().get(0);
        assertThat(attachment.fileName()).isEqualTo("акт.pdf");
        assertThat(attachment.size()).isGreaterThan(10);
        assertThat(attachment.sha256()).isNull();
        assertThat(attachment.skippedReason()).contains("limit");
        assertThat(mail.bodyText()).isNotBlank();
    }

    @Test
    void missingMessageIdGivesTheSameSyntheticIdEveryTime() throws Exception {
        ParsedMail first = parse("16-no-message-id.eml", List.of());
        ParsedMail second = parse("16-no-message-id.eml", List.of());

        assertThat(first.messageIdSynthetic()).isTrue();
        assertThat(first.messageId()).isEqualTo(second.messageId());
    }

    private static FileStore files() {
        return new FileStore(new DispatchProperties("test", ZoneId.of("Europe/Moscow"), data, false));
    }

    private static List<String> addresses(List<ParsedMail.Address> list) {
        return list.stream()
                .map(ParsedMail.Address::address)
                .filter(a -> a != null)
                .distinct()
                .toList();
    }

    private static void check(Map<String, Object> expected, String key, Object actual) {
        if (expected.containsKey(key)) {
            assertThat(actual).as(key).isEqualTo(expected.get(key));
        }
    }
}
