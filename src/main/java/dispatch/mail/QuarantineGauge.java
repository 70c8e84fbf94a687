package dispatch.mail;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * {@code dispatch_mail_quarantine_open}: quarantined mails not replayed yet. A gauge from the database rather than a
 * counter, so every instance reports the same number and an alert fires on the first quarantine after any restart.
 */
@Component
class QuarantineGauge {

    QuarantineGauge(QuarantineStore quarantine, MeterRegistry meters) {
        Gauge.builder("dispatch.mail.quarantine.open", quarantine::waiting)
                .description("Quarantined mails waiting for a person (raw bytes kept; replay after a fix)")
                .register(meters);
    }
}
