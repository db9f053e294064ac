package dev.conveyor.worker;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/** {@code conveyor.artifacts.*}: files handlers attach to their jobs. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.artifacts")
public interface ArtifactsConfig {

    /**
     * Largest artifact a job may store; a larger one fails the job for good and never reaches Redis. Artifacts live
     * as long as their jobs, so this times the finished jobs kept is what they may take of Redis' memory.
     */
    MemorySize maxSize();
}
