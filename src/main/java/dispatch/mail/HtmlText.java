package dispatch.mail;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * Readable plain text from an HTML mail body: paragraphs and line breaks kept, list items as "- ", table cells
 * separated by " | ", link targets kept next to their text, scripts and styles dropped.
 */
final class HtmlText {

    /** Elements that start and end a line of text. */
    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "tr",
            "table",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "hr",
            "section",
            "article",
            "header",
            "footer",
            "address");

    private HtmlText() {}

    static String toText(String html) {
        Document document = Jsoup.parse(html);
        document.select("script, style, head, title, noscript, template").remove();
        StringBuilder out = new StringBuilder();
        document.body().traverse(new Renderer(out));
        return normalise(out.toString());
    }

    private record Renderer(StringBuilder out) implements NodeVisitor {

        @Override
        public void head(Node node, int depth) {
            if (node instanceof TextNode text) {
                String t = text.getWholeText().replace('\u00a0', ' ').replaceAll("[\\s&&[^\\n]]+", " ");
                t = t.replace('\n', ' ');
                if (!t.isBlank() || (!out.isEmpty() && out.charAt(out.length() - 1) != '\n')) {
                    out.append(t);
                }
                return;
            }
            if (!(node instanceof Element e)) {
                return;
            }
            switch (e.normalName()) {
                case "br" -> out.append('\n');
                case "li" -> newLine().append("- ");
                case "td", "th" -> {
                    if (e.elementSiblingIndex() > 0) {
                        out.append(" | ");
                    }
                }
                default -> {
                    if (BLOCKS.contains(e.normalName())) newLine();
                }
            }
        }

        @Override
        public void tail(Node node, int depth) {
            if (!(node instanceof Element e)) {
                return;
            }
            switch (e.normalName()) {
                case "a" -> {
                    String href = e.attr("href").trim();
                    String text = e.text().trim();
                    if (!href.isEmpty()
                            && !href.startsWith("#")
                            && !href.equals(text)
                            && !href.equals("mailto:" + text)) {
                        out.append(" (")
                                .append(href.startsWith("mailto:") ? href.substring(7) : href)
                                .append(')');
                    }
                }
                case "li" -> newLine();
                default -> {
                    if (BLOCKS.contains(e.normalName())) newLine();
                }
            }
        }

        private StringBuilder newLine() {
            if (!out.isEmpty() && out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
            return out;
        }
    }

    /** Trims each line and collapses runs of blank lines to one. */
    static String normalise(String text) {
        StringBuilder result = new StringBuilder();
        int blank = 0;
        for (String line : text.split("\n", -1)) {
            String l = line.strip();
            if (l.isEmpty()) {
                blank++;
                continue;
            }
            if (!result.isEmpty()) {
                result.append(blank > 0 ? "\n\n" : "\n");
            }
            result.append(l);
            blank = 0;
        }
        return result.toString();
    }
}
