package dev.conveyor.job;

import java.time.Duration;
import java.time.Instant;

/**
 * A job as stored. {@code payload} and {@code result} are JSON documents kept as text, so this model needs no JSON
 * library; {@code error} is the last error message.
 */
public record Job(
        JobId id,
        String type,
        JobStatus status,
        int priority,
        String payload,
        int attempts,
        int maxAttempts,
        Instant createdAt,
        Instant runAt,
        Instant startedAt,
        Instant finishedAt,
        Duration timeout,
        String result,
        String error) {

    public String queue() {
        return id.queue();
    }
}
