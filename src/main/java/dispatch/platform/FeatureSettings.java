package dispatch.platform;

import java.util.List;

/**
 * Settings of a feature that can be switched off. When the feature is on, every value it needs must be present:
 * start-up fails with one line per missing value, naming the environment variable. A feature is off only when its
 * {@code ..._ENABLED=false} says so, never silently because a credential is missing.
 */
public interface FeatureSettings {

    /** Short name used in logs, e.g. {@code tracker}. */
    String feature();

    boolean enabled();

    /** Property paths (relative to the record's prefix) that must be set while the feature is on and are not. */
    List<String> missingWhenEnabled();

    /** One line for the start-up report, e.g. {@code queue DISPATCH at https://api.tracker.yandex.net}. */
    String summary();

    /** The setting (relative path and value) that lets the service start without the missing values. */
    default String offSwitch() {
        return "enabled=false";
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
