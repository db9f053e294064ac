package dev.conveyor.api;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.unique.*}: unique jobs. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.unique")
public interface UniqueConfig {

    /** Longest ttl a unique key may ask for: it bounds every scope. */
    Duration maxTtl();
}
