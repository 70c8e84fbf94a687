package dispatch.mail;

import dispatch.platform.CachedHealth;
import jakarta.mail.Store;
import java.time.Clock;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health "imap": can every configured account log in and open its INBOX; health "smtp": can Dispatch log in to the
 * SMTP server its auto-replies go through. Wrong credentials show up here before a dispatcher needs them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "dispatch.mail.enabled", matchIfMissing = true)
class MailHealth {

    @Bean
    HealthIndicator imapHealthIndicator(MailProperties settings, Clock clock) {
        ImapConnector connector = new ImapConnector();
        return new CachedHealth(() -> probe(settings, connector), Duration.ofSeconds(30), clock);
    }

    @Bean
    HealthIndicator smtpHealthIndicator(MailSender sender, Clock clock) {
        return new CachedHealth(
                () -> {
                    try {
                        sender.probe();
                        return Health.up().withDetail("server", sender.server()).build();
                    } catch (Exception e) {
                        return Health.down()
                                .withDetail("server", sender.server())
                                .withDetail("error", String.valueOf(e.getMessage()))
                                .build();
                    }
                },
                Duration.ofSeconds(30),
                clock);
    }

    private static Health probe(MailProperties settings, ImapConnector connector) {
        Health.Builder health = Health.up();
        for (MailProperties.Account account : settings.accounts()) {
            try (Store store = connector.connect(account)) {
                store.getFolder(account.inboxFolder()).exists();
                health.withDetail(account.name(), "logged in as " + account.username());
            } catch (Exception e) {
                health.down().withDetail(account.name(), account + ": " + e.getMessage());
            }
        }
        return health.build();
    }
}
