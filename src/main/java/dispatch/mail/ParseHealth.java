package dispatch.mail;

import dispatch.platform.HealthProperties;
import dispatch.platform.StageState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health "mailParse": mail the intake fetched and the parse stage has not stored yet. DOWN when some has waited longer
 * than {@code DISPATCH_HEALTH_STALLAFTER} without the stage storing anything (decision 0016).
 */
@Component("mailParseHealthIndicator")
@ConditionalOnBooleanProperty(name = "dispatch.mail.enabled", matchIfMissing = true)
class ParseHealth implements HealthIndicator {

    private final MailParsing parsing;
    private final HealthProperties settings;
    private final Clock clock;

    ParseHealth(MailParsing parsing, HealthProperties settings, Clock clock, MeterRegistry meters) {
        this.parsing = parsing;
        this.settings = settings;
        this.clock = clock;
        StageState.gauges(meters, Tags.of("stage", "parse"), parsing::state, clock);
    }

    @Override
    public Health health() {
        StageState state = parsing.state();
        return state.health("fetched mails waiting to be parsed", clock.instant(), settings.stallAfter())
                .build();
    }
}
