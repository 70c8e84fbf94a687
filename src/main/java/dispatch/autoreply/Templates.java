package dispatch.autoreply;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import dispatch.platform.DispatchProperties;
import dispatch.tracker.StatusCommandIssued.Command;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The texts of the auto-replies, Mustache templates (JMustache): the built-in ones, or a file of the same name in
 * {@code DISPATCH_AUTOREPLY_TEMPLATES} (default {@code data/templates/}) that an operator wrote. Checked when the
 * service starts: a template naming a variable its mail does not have, or that does not parse, stops the start
 * naming the file and the variable, before a dispatcher's command would fail on it. Plain text: nothing is escaped.
 */
@Component
class Templates {

    /** The variables of the mails to the operator (the requester). */
    static final Set<String> OPERATOR = Set.of("key", "code", "summary", "autoCloseAfter");

    /** The variables of the hand-over to the contractor; {@code number}, {@code sentAt}, {@code text}: in history. */
    static final Set<String> CONTRACTOR = Set.of(
            "key",
            "code",
            "summary",
            "poleCode",
            "region",
            "address",
            "coordinates",
            "baseStation",
            "operators",
            "registeredAt",
            "slaDeadline",
            "typeName",
            "typeDescription",
            "hasHistory",
            "history",
            "number",
            "sentAt",
            "text");

    /** JMustache's own names in a section: the item itself and where it is in its list. */
    private static final Set<String> SPECIAL = Set.of(".", "this", "-first", "-last", "-index");

    private final Map<Command, Template> templates = new EnumMap<>(Command.class);

    Templates(AutoReplyProperties settings, DispatchProperties platform) {
        Path directory = settings.templates() != null
                ? settings.templates()
                : platform.dataDirectory().resolve("templates");
        Mustache.Compiler compiler =
                Mustache.compiler().escapeHTML(false).emptyStringIsFalse(true).defaultValue("");
        for (Command command : Command.values()) {
            templates.put(command, load(compiler, directory, command));
        }
    }

    /** The mail's text: the template filled with {@code values} (names as in {@link #OPERATOR}/{@link #CONTRACTOR}). */
    String render(Command command, Map<String, ?> values) {
        return templates.get(command).execute(values).stripTrailing();
    }

    static String fileName(Command command) {
        return switch (command) {
            case OPERATOR_IN_WORK -> "operator-in-work.mustache";
            case OPERATOR_CLOSED -> "operator-closed.mustache";
            case CONTRACTOR_IN_WORK -> "contractor-in-work.mustache";
        };
    }

    private static Template load(Mustache.Compiler compiler, Path directory, Command command) {
        String name = fileName(command);
        Path file = directory.resolve(name);
        String where;
        String text;
        try {
            if (Files.isRegularFile(file)) {
                where = file.toAbsolutePath().toString();
                text = Files.readString(file, StandardCharsets.UTF_8);
            } else {
                where = "built-in " + name;
                try (InputStream in = Templates.class.getResourceAsStream("/autoreply/" + name)) {
                    if (in == null) throw new IllegalStateException("missing built-in template " + name);
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("Auto-reply template " + file + " cannot be read: " + e.getMessage(), e);
        }
        Template template;
        try {
            template = compiler.compile(text);
        } catch (MustacheException e) {
            throw new IllegalStateException("Auto-reply template " + where + " does not parse: " + e.getMessage(), e);
        }
        Set<String> known = command == Command.CONTRACTOR_IN_WORK ? CONTRACTOR : OPERATOR;
        List<String> unknown = new ArrayList<>();
        template.visit(new Mustache.Visitor() {
            @Override
            public void visitText(String text) {}

            @Override
            public void visitVariable(String name) {
                check(name);
            }

            @Override
            public boolean visitInclude(String name) {
                unknown.add(">" + name + " (no partials)");
                return false;
            }

            @Override
            public boolean visitSection(String name) {
                check(name);
                return true;
            }

            @Override
            public boolean visitInvertedSection(String name) {
                check(name);
                return true;
            }

            private void check(String name) {
                String first = name.contains(".") && !name.equals(".") ? name.substring(0, name.indexOf('.')) : name;
                if (!known.contains(first) && !SPECIAL.contains(first)) unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalStateException("Auto-reply template " + where + " uses unknown variable(s) " + unknown
                    + "; known: " + known.stream().sorted().toList());
        }
        return template;
    }
}
