package dev.conveyor.role;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.enterprise.inject.Stereotype;

import io.quarkus.arc.properties.UnlessBuildProperty;

/**
 * A bean of the API role: built into roles {@code api} and {@code all}, left out of the worker at build time
 * ({@code conveyor.role}, set by the pom's role profiles).
 */
@Stereotype
@UnlessBuildProperty(name = "conveyor.role", stringValue = "worker", enableIfMissing = true)
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ApiRole {
}
