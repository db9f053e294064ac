package dev.conveyor.worker;

import java.time.Duration;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;

/** {@code conveyor.worker.*}: the consumer loop. Defaults in application.properties. */
@ConfigMapping(prefix = "conveyor.worker")
public interface WorkerConfig {

    /** Most jobs in flight at once in this process. */
    int concurrency();

    /** Queues to take work from, with optional weights ({@code critical:3,default:1}); empty = every queue. */
    Optional<String> queues();

    /** How long a claim holds a job before the job counts as abandoned. */
    Duration lease();

    /** Longest single blocking wait for work; below the Redis client's 10 s command timeout. */
    Duration idleWait();

    /** Largest result a job may store, as JSON; a larger one fails the job for good and never reaches Redis. */
    MemorySize maxResultSize();

    /** Timeout of a job that does not set its own. */
    Duration defaultJobTimeout();

    /** On shutdown, how long running jobs may take to finish. */
    Duration shutdownTimeout();

    /** How often this worker recovers jobs whose lease expired (in the queues it serves). */
    Duration reapInterval();

    /** With every queue selected: how often to look for new queues. */
    Duration queueRefresh();

    /**
     * How often this worker refreshes its entry in the worker registry (which expires after three of these) and adds
     * its counts of finished jobs to the queues' throughput.
     */
    Duration heartbeatInterval();

    /** Most often the latest progress reports of running jobs are stored (all of them together). */
    Duration progressInterval();

    /**
     * Longest wait before claiming again from a queue whose concurrency limit had no free slot, should no wake-up
     * come first (a job of the queue ending wakes an idle worker).
     */
    Duration limitRecheck();
}
