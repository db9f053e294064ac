package dev.conveyor.job;

import java.time.Duration;
import java.time.Instant;

/**
 * A job as stored. {@code payload}, {@code result} and {@code errorHistory} are JSON documents kept as text, so this
 * model needs no JSON library; {@code error} is the last error message, {@code errorHistory} a JSON array of
 * {@code {attempt, at (epoch ms), error}}, oldest first. {@code progress} is the latest progress report of its
 * handler as JSON, {@code {"percent", "details", "updatedAt"}} with absent parts left out; null when none.
 * {@code callback} is the stored completion webhook (JSON:
 * {@code url}, {@code events} and the delivery settings), null without one; {@code delivery} the ulid of its
 * delivery job (a job of the internal type {@code callback} in the same queue) once one was created. {@code unique}
 * is its unique key, null without one.
 * {@code schedule} and {@code scheduledFor} name the schedule tick that fired the job; null for other jobs.
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
        Backoff backoff,
        String result,
        String error,
        String errorHistory,
        boolean cancelRequested,
        String progress,
        String callback,
        String delivery,
        Unique unique,
        String schedule,
        Instant scheduledFor) {

    public String queue() {
        return id.queue();
    }
}
