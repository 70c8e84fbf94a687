package dispatch.mail;

import java.time.Duration;
import java.util.Properties;

/**
 * Jakarta Mail session settings shared by IMAP and SMTP: the protocol for the transport security, explicit timeouts
 * (the default is to wait forever), STARTTLS required when chosen, and the server's certificate checked.
 */
final class MailSessions {

    private MailSessions() {}

    /** {@code imap}/{@code imaps}, {@code smtp}/{@code smtps}: implicit TLS has a protocol of its own. */
    static String protocol(String plain, MailProperties.Security security) {
        return security == MailProperties.Security.SSL ? plain + "s" : plain;
    }

    static Properties properties(
            String protocol, MailProperties.Security security, Duration connectTimeout, Duration readTimeout) {
        String p = "mail." + protocol + ".";
        Properties props = new Properties();
        props.put(p + "connectiontimeout", String.valueOf(connectTimeout.toMillis()));
        props.put(p + "timeout", String.valueOf(readTimeout.toMillis()));
        props.put(p + "writetimeout", String.valueOf(readTimeout.toMillis()));
        if (security == MailProperties.Security.STARTTLS) {
            props.put(p + "starttls.enable", "true");
            props.put(p + "starttls.required", "true");
        }
        if (security != MailProperties.Security.NONE) {
            props.put(p + "ssl.checkserveridentity", "true");
        }
        return props;
    }
}
