package dev.conveyor.queue;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
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
     * Share of the memory budget ({@link #memoryBudget()}) above which new jobs are refused (503), so that running
     * jobs keep room for their outcomes. No limit without a budget.
     */
    double enqueueMemoryLimit();

    /**
     * The most of Redis' memory Conveyor may use (its {@code used_memory}, all of Redis' data counted), capped at
     * {@code maxmemory}: for a Redis without {@code maxmemory}, or one shared with others. 0: {@code maxmemory}.
     */
    MemorySize memoryBudget();

    /** Most queues in the registry; a job for one more new queue is refused. */
    int maxQueues();

    /**
     * Replicas that must hold an enqueue's writes before it is acknowledged ({@code WAIT}), so that an acknowledged job
     * survives the loss of its primary. 0: no wait (Redis replicates asynchronously).
     */
    int replicaAcks();

    /** Longest wait for those replicas; an enqueue they did not confirm in time answers 503 outcome-unknown. */
    Duration replicaAckTimeout();
}
