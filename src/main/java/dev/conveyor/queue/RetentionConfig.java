package dev.conveyor.queue;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.retention.*}: how long finished jobs and idempotency keys stay in Redis. */
@ConfigMapping(prefix = "conveyor.retention")
public interface RetentionConfig {

    Duration succeeded();

    /** Failed (dead-letter) and cancelled jobs. */
    Duration failed();

    Duration idempotency();
}
