package dispatch.autoreply;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request sent from the company's web form: the mail comes from the form's robot and carries the requester's
 * answers as a JSON object in its body (docs/domain.md, "Mail"). The requester is the "feedback e-mail" answer; observers are
 * copied.
 *
 * @param requester the address to answer
 * @param observers addresses to copy, in the form's order, as written (checked where the mail is made)
 */
record WebForm(String requester, List<String> observers) {

    static final String FEEDBACK = "E-mail для обратной связи";
    static final String OBSERVER = "E-mail наблюдателя по заявке";

    /** Flat JSON objects, as the form writes them (nested objects are not part of it). */
    private static final Pattern OBJECT = Pattern.compile("\\{[^{}]*}");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The form in a mail's body: the first JSON object with a valid feedback address. */
    static Optional<WebForm> in(String body) {
        if (body == null || !body.contains(FEEDBACK)) return Optional.empty();
        Matcher m = OBJECT.matcher(body);
        while (m.find()) {
            JsonNode answers;
            try {
                answers = JSON.readTree(m.group());
            } catch (JacksonException notJson) {
                continue;
            }
            Optional<String> requester = Addresses.valid(answers.path(FEEDBACK).asString(""));
            if (requester.isEmpty()) continue;
            List<String> observers = new ArrayList<>();
            for (var field : answers.properties()) {
                if (field.getKey().startsWith(OBSERVER)) {
                    String observer = field.getValue().asString("").strip();
                    if (!observer.isEmpty()) observers.add(observer);
                }
            }
            return Optional.of(new WebForm(requester.get(), observers));
        }
        return Optional.empty();
    }
}
