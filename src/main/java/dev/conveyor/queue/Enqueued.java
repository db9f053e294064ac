package dev.conveyor.queue;

import dev.conveyor.job.Job;

/** What enqueueing one job did. For {@code CONFLICT}, {@code job} is the job that holds the idempotency key. */
public record Enqueued(Job job, Outcome outcome) {

    public enum Outcome {
        CREATED,
        /** the idempotency key was used before by the same request: this is that job */
        EXISTING,
        /** the idempotency key was used before by a different request */
        CONFLICT
    }
}
