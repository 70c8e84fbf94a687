package dispatch.platform;

import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/** Turns a settings error into one line per bad value, naming the environment variable to fix. */
class SettingsFailureAnalyzer extends AbstractFailureAnalyzer<BindException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
        String prefix = cause.getName().toString();
        String description;
        if (cause.getCause() instanceof BindValidationException validation) {
            description = validation.getValidationErrors().getAllErrors().stream()
                    .map(error -> line(prefix, error))
                    .sorted()
                    .collect(Collectors.joining("\n"));
        } else {
            var property = cause.getProperty();
            String path = property != null ? property.getName().toString() : prefix;
            String value = property != null ? " '" + property.getValue() + "'" : "";
            description =
                    "Invalid setting " + SettingNames.environmentVariable(path) + value + ": " + rootMessage(cause);
        }
        return new FailureAnalysis(
                description, "Fix the setting(s) above in the environment or .env file and start again.", cause);
    }

    private static String line(String prefix, ObjectError error) {
        if (error instanceof FieldError field) {
            String path =
                    field.getField().startsWith(prefix + ".") ? field.getField() : prefix + "." + field.getField();
            return "Invalid setting " + SettingNames.environmentVariable(path) + ": " + field.getDefaultMessage();
        }
        return "Missing setting: " + error.getDefaultMessage();
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
