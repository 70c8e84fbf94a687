package dispatch.platform;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;

/**
 * Registered as Spring Boot's {@code configurationPropertiesValidator}: runs on every bound settings record next to
 * Jakarta Bean Validation and rejects a switched-on feature whose required values are missing.
 */
class FeatureSettingsValidator implements Validator {

    @Override
    public boolean supports(Class<?> type) {
        return FeatureSettings.class.isAssignableFrom(type);
    }

    private static String offSwitch(String prefix, String relative) {
        int eq = relative.indexOf('=');
        return SettingNames.environmentVariable(prefix + "." + relative.substring(0, eq)) + relative.substring(eq);
    }

    @Override
    public void validate(Object target, Errors errors) {
        FeatureSettings settings = (FeatureSettings) target;
        if (!settings.enabled()) {
            return;
        }
        String prefix = AnnotatedElementUtils.getMergedAnnotation(target.getClass(), ConfigurationProperties.class)
                .prefix();
        for (String path : settings.missingWhenEnabled()) {
            String variable = SettingNames.environmentVariable(prefix + "." + path);
            errors.reject(
                    "required",
                    variable + " is required while the " + settings.feature() + " feature is on (set it, or set "
                            + offSwitch(prefix, settings.offSwitch()) + ")");
        }
    }
}
