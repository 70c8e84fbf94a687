package dispatch.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import dispatch.mail.AutoKind;
import dispatch.mail.MailOrigin;
import dispatch.mail.MatchMethod;
import dispatch.mail.Recipients;
import dispatch.mail.StoredMail;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.LinkReferenceDefinition;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * What a sender writes (subject, addresses, file names, body) stays text in the Tracker comment: rendered by a
 * CommonMark parser with GFM tables (YFM's base), generated hostile input yields no link, image, HTML, extra heading
 * or table cell, and reads back exactly as sent.
 */
class MailMarkdownTest {

    private static final List<String> HOSTILE = List.of(
            "[x](http://evil)",
            "![img](http://evil/a.png)",
            "<http://evil>",
            "http://evil.example/a",
            "**",
            "__",
            "|",
            "\\|",
            "\n",
            "\r\n",
            "\u2028",
            "\u0085",
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "{% raw %}",
            "{{ secret }}",
            "((http://evil ссылка))",
            "# заголовок",
            "\n### h",
            "> цитата",
            "- пункт",
            "1. пункт",
            "---",
            "```",
            "~~~",
            "`code`",
            "[ref]: http://evil",
            "[ref]",
            "@ceo",
            "&lt;b&gt;",
            "&#x3C;",
            "\\",
            "%%(wacko)%%",
            "{#anchor}",
            "Авария на опоре 50123-01",
            "📧");
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    private final Parser parser =
            Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private final MailMarkdown markdown = new MailMarkdown(ZoneId.of("Europe/Moscow"), () -> new byte[32]);

    @Test
    void generatedHostileSubjectsAddressesAndFileNamesRenderAsTheirOwnText() {
        Random random = new Random(20261206);
        for (int i = 0; i < 3000; i++) {
            String subject = hostile(random);
            String from = hostile(random);
            String to = hostile(random);
            String file = hostile(random);
            String body = hostile(random) + "\n" + hostile(random);
            StoredMail mail = mail(subject, from, body);

            String text =
                    markdown.comment(mail, new Recipients(List.of(to), List.of(), List.of()), List.of(file), List.of());

            Rendered r = render(text);
            String why = "case " + i + ":\n" + text;
            assertThat(r.dangerous).as(why).isEmpty();
            String shown = oneLine(subject).strip();
            assertThat(r.headings).as(why).containsExactly(shown.isEmpty() ? "📧 Без темы" : "📧 \"" + shown + "\"");
            assertThat(r.tableRows).as(why).hasSize(5); // header, От, Кому, Дата, marker
            assertThat(r.tableRows).as(why).allSatisfy(row -> assertThat(row).hasSize(2));
            assertThat(r.tableRows.get(1))
                    .as(why)
                    .containsExactly("От:", oneLine(from).strip());
            assertThat(r.tableRows.get(2))
                    .as(why)
                    .containsExactly("Кому:", oneLine(to).strip());
            assertThat(r.code).as(why).containsExactly(body.strip().replace("\r\n", "\n"));
            assertThat(r.paragraphText).as(why).contains(oneLine(file).strip());
            // YFM templating and wiki constructs need two characters in a row; escaping keeps them apart.
            String outsideBody = text.substring(0, text.indexOf("```")) + text.substring(text.lastIndexOf("```"));
            assertThat(outsideBody).as(why).doesNotContain("{{", "{%", "((", "))", "}}", "%%");
        }
    }

    @Test
    void aMarkerRowInTheBodyIsNotTheMarkerOfAnotherMail() {
        MailMarkdown other = new MailMarkdown(ZoneId.of("UTC"), () -> new byte[] {1, 2, 3});
        String forged = other.marker(43) + "\n| **ID письма:** | 43 |\n| **ID письма:** | `43` |";

        String text = markdown.comment(
                mail("Re: авария", "a@op.example", forged),
                new Recipients(List.of(), List.of(), List.of()),
                List.of(),
                List.of());

        assertThat(text).contains(markdown.marker(42)).doesNotContain(markdown.marker(43));
    }

    private static StoredMail mail(String subject, String from, String body) {
        return new StoredMail(
                42,
                "m@op.example",
                null,
                List.of(),
                subject,
                from,
                Instant.parse("2026-11-20T08:05:00Z"),
                false,
                MailOrigin.EXTERNAL,
                AutoKind.NONE,
                body,
                7L,
                MatchMethod.IN_REPLY_TO);
    }

    private static String hostile(Random random) {
        StringBuilder s = new StringBuilder();
        int parts = random.nextInt(6);
        for (int p = 0; p < parts; p++) {
            switch (random.nextInt(3)) {
                case 0 -> s.append(HOSTILE.get(random.nextInt(HOSTILE.size())));
                case 1 -> s.append(PUNCTUATION.charAt(random.nextInt(PUNCTUATION.length())));
                default -> s.append("ab c".charAt(random.nextInt(4)));
            }
        }
        return s.isEmpty() || s.toString().isBlank() ? "x" + s : s.toString();
    }

    /** What {@link MailMarkdown#escape} promises to keep: the text, with any line break or control as a space. */
    private static String oneLine(String s) {
        return s.replaceAll("[\\p{Cntrl}\\u2028\\u2029\\u0085]+", " ");
    }

    private static final class Rendered {
        final List<String> dangerous = new ArrayList<>();
        final List<String> headings = new ArrayList<>();
        final List<List<String>> tableRows = new ArrayList<>();
        final List<String> code = new ArrayList<>();
        String paragraphText = "";
    }

    private Rendered render(String text) {
        Node document = parser.parse(text);
        Rendered r = new Rendered();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                r.dangerous.add("link " + link.getDestination());
            }

            @Override
            public void visit(Image image) {
                r.dangerous.add("image " + image.getDestination());
            }

            @Override
            public void visit(HtmlInline html) {
                r.dangerous.add("html " + html.getLiteral());
            }

            @Override
            public void visit(HtmlBlock html) {
                r.dangerous.add("html block " + html.getLiteral());
            }

            @Override
            public void visit(Heading heading) {
                r.headings.add(text(heading));
            }

            @Override
            public void visit(FencedCodeBlock block) {
                r.code.add(block.getLiteral().stripTrailing());
            }

            @Override
            public void visit(org.commonmark.node.Paragraph paragraph) {
                r.paragraphText += text(paragraph) + "\n";
            }

            @Override
            public void visit(org.commonmark.node.CustomNode node) {
                if (node instanceof TableRow) {
                    List<String> cells = new ArrayList<>();
                    for (Node c = node.getFirstChild(); c != null; c = c.getNext()) {
                        if (c instanceof TableCell) cells.add(text(c).strip());
                    }
                    r.tableRows.add(cells);
                    return;
                }
                visitChildren(node);
            }

            @Override
            public void visit(org.commonmark.node.CustomBlock block) {
                if (block instanceof TableBlock) visitChildren(block);
                else visitChildren(block);
            }

            @Override
            public void visit(LinkReferenceDefinition definition) {
                r.dangerous.add("link definition " + definition.getDestination());
            }
        });
        return r;
    }

    /** The plain text of a node: text, code spans, soft breaks as spaces. */
    private static String text(Node node) {
        StringBuilder s = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text text) {
                s.append(text.getLiteral());
            }

            @Override
            public void visit(Code code) {
                s.append(code.getLiteral());
            }

            @Override
            public void visit(org.commonmark.node.SoftLineBreak br) {
                s.append(' ');
            }

            @Override
            public void visit(org.commonmark.node.HardLineBreak br) {
                s.append(' ');
            }
        });
        return s.toString();
    }
}
