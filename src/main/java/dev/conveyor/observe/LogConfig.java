package dev.conveyor.observe;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.log.*}: log output. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.log")
public interface LogConfig {

    /** One JSON object per line on the console instead of text (for log pipelines). */
    boolean json();
}
