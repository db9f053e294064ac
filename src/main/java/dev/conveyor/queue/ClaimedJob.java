package dev.conveyor.queue;

import java.time.Duration;
import java.time.Instant;

import dev.conveyor.job.Backoff;
import dev.conveyor.job.JobId;

/**
 * A job a worker holds a lease on. {@code token} fences completion: once the lease is lost, the store refuses to
 * record an outcome with it. {@code readyAt} is when the job became runnable (for the wait-time metric);
 * {@code timeout} and {@code backoff} are null for the worker's defaults.
 */
public record ClaimedJob(
        JobId id,
        String type,
        String payload,
        int attempt,
        int maxAttempts,
        Duration timeout,
        Backoff backoff,
        Instant createdAt,
        Instant readyAt,
        int priority,
        String token) {
}
