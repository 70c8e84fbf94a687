package dispatch.api;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An API token: at least 24 characters and not a placeholder of {@code .env.example}, so a forgotten or guessable
 * token stops start-up with one line naming its variable (never its value).
 */
@Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@Pattern(regexp = Secret.PATTERN)
@interface Secret {

    /** 24 or more characters, none of the placeholders ("change-me", "changeme", "<...>"). */
    String PATTERN = "(?is)(?!.*change[-_ ]?me)(?!<.*>).{24,}";

    String MESSAGE = "must be a secret of at least 24 characters, not a placeholder from .env.example"
            + " (generate one with: openssl rand -hex 24)";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /** As {@link Secret}, or blank when the token is not used. */
    @Target({ElementType.TYPE_USE, ElementType.FIELD, ElementType.PARAMETER})
    @Retention(RetentionPolicy.RUNTIME)
    @Constraint(validatedBy = {})
    @ReportAsSingleViolation
    @Pattern(regexp = "|" + PATTERN)
    @interface Optional {

        String message() default MESSAGE;

        Class<?>[] groups() default {};

        Class<? extends Payload>[] payload() default {};
    }
}
