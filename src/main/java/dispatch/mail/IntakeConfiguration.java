package dispatch.mail;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;

/** The intake's parts that both stages and the replay share. */
@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    @Bean
    FolderReader folderReader(FileStore files, OwnMessageIds ownIds, MailProperties settings, Clock clock) {
        Classifier classifier = new Classifier(ownIds, settings.robotSenders());
        return new FolderReader(
                files,
                new MimeParser(files, classifier, settings.maxAttachmentSize().toBytes(), settings.limits()),
                clock);
    }

    @Bean
    MessageWriter messageWriter(
            MailStore store,
            QuarantineStore quarantine,
            MailProperties settings,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions) {
        return new MessageWriter(store, quarantine, settings, events, transactions);
    }

    @Bean
    IntakeMetrics intakeMetrics(MeterRegistry meters) {
        return new IntakeMetrics(meters);
    }
}
