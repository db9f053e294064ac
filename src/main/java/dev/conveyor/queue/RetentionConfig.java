package dev.conveyor.queue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import io.smallrye.config.ConfigMapping;

/**
 * {@code conveyor.retention.*}: how long, and how many, finished jobs stay in Redis, and how long idempotency keys do.
 * A finished job goes when either limit of its status is passed, the oldest first. Each queue may set its own limits
 * under {@code conveyor.retention.queues.<queue>.*}; what it leaves out is the global value.
 */
@ConfigMapping(prefix = "conveyor.retention")
public interface RetentionConfig {

    Duration succeeded();

    /** Most succeeded jobs kept per queue. */
    int succeededCount();

    /** Failed (dead-letter) and cancelled jobs. */
    Duration failed();

    /** Most failed jobs kept per queue, and most cancelled ones. */
    int failedCount();

    Duration idempotency();

    /** Limits of single queues, by queue name. */
    Map<String, QueueRetention> queues();

    /** {@code conveyor.retention.queues.<queue>.*}: what a queue sets differently. */
    interface QueueRetention {

        Optional<Duration> succeeded();

        OptionalInt succeededCount();

        Optional<Duration> failed();

        OptionalInt failedCount();
    }
}
