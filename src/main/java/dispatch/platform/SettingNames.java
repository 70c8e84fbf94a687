package dispatch.platform;

import java.util.Locale;

/** Maps a property path to the environment variable Spring Boot binds it from (its relaxed form). */
public final class SettingNames {

    private SettingNames() {}

    /** {@code dispatch.mail.accounts[0].poll-interval} becomes {@code DISPATCH_MAIL_ACCOUNTS_0_POLLINTERVAL}. */
    public static String environmentVariable(String propertyPath) {
        return propertyPath
                .replace("-", "")
                .replace("[", ".")
                .replace("]", "")
                .replace('.', '_')
                .toUpperCase(Locale.ROOT);
    }
}
