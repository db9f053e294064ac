package dev.conveyor.handler.builtin;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.handler.*}: limits of the built-in job types. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.handler")
public interface BuiltinHandlersConfig {

    /** Longest {@code ms} of a {@code sleep} job. */
    Duration maxSleep();
}
