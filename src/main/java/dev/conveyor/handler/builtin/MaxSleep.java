package dev.conveyor.handler.builtin;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** Milliseconds of sleep at most {@code conveyor.handler.max-sleep}; null is left to {@code @NotNull}. */
@Documented
@Retention(RUNTIME)
@Target({ FIELD, PARAMETER })
@Constraint(validatedBy = MaxSleep.Check.class)
public @interface MaxSleep {

    String message() default "must be at most conveyor.handler.max-sleep";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    /**
     * A bean, so that the bound comes from configuration. Bean Validation builds its validators at static init, before
     * runtime configuration exists: the bound is read when the first value is checked.
     */
    @Singleton
    class Check implements ConstraintValidator<MaxSleep, Long> {

        private final Provider<BuiltinHandlersConfig> config;

        Check(Provider<BuiltinHandlersConfig> config) {
            this.config = config;
        }

        @Override
        public boolean isValid(Long ms, ConstraintValidatorContext context) {
            long maxMillis = config.get().maxSleep().toMillis();
            if (ms == null || ms <= maxMillis) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate("must be at most " + maxMillis
                    + " (conveyor.handler.max-sleep)").addConstraintViolation();
            return false;
        }
    }
}
