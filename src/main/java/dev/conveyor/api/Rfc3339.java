package dev.conveyor.api;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** Text that is an RFC 3339 date-time with an offset, years 0000 to 9999; null is valid (the field is optional). */
@Documented
@Retention(RUNTIME)
@Target(FIELD)
@Constraint(validatedBy = Rfc3339.Check.class)
public @interface Rfc3339 {

    String message();

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<Rfc3339, String> {

        @Override
        public boolean isValid(String text, ConstraintValidatorContext context) {
            return text == null || TimeText.rfc3339(text) != null;
        }
    }
}
