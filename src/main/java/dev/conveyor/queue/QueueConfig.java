package dev.conveyor.queue;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;

/** {@code conveyor.queue.*}: how the store talks to Redis. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.queue")
public interface QueueConfig {

    /** First part of every key: {@code <prefix>:{<queue>}:...}. */
    String keyPrefix();

    /** Longest wait for one Redis call before the caller gets a {@link RedisUnavailableException}. */
    Duration redisTimeout();

    /** Most due scheduled/retrying jobs one claim promotes (bounds the claim script's run time). */
    int promoteBatch();

    /** Most ids one listing call examines in Redis (bounds the list script's run time). */
    int listScanLimit();

    /**
     * Share of Redis' {@code maxmemory} above which new jobs are refused (503), so that running jobs keep room for
     * their outcomes. No limit while Redis has no {@code maxmemory}.
     */
    double enqueueMemoryLimit();

    /** Most queues in the registry; a job for one more new queue is refused. */
    int maxQueues();
}
