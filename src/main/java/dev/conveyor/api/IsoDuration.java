package dev.conveyor.api;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/**
 * Text that is an ISO-8601 duration from zero (or above zero) to {@link #max()}; null is valid (optional field).
 * Without {@code max}, the upper bound is configured and checked by {@link JobRequestValidator}.
 */
@Documented
@Retention(RUNTIME)
@Target(FIELD)
@Constraint(validatedBy = IsoDuration.Check.class)
public @interface IsoDuration {

    String message();

    /** The longest duration allowed, itself an ISO-8601 duration; empty for no fixed bound. */
    String max() default "";

    /** Whether {@code PT0S} is allowed; negative durations never are. */
    boolean zeroAllowed() default false;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<IsoDuration, String> {

        private Duration max;
        private boolean zeroAllowed;

        @Override
        public void initialize(IsoDuration constraint) {
            max = constraint.max().isEmpty() ? null : Duration.parse(constraint.max());
            zeroAllowed = constraint.zeroAllowed();
        }

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            if (text == null) {
                return true;
            }
            Duration duration = TimeText.duration(text);
            return duration != null && !duration.isNegative() && (zeroAllowed || !duration.isZero())
                    && (max == null || duration.compareTo(max) <= 0);
        }
    }
}
