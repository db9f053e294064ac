package dev.conveyor.queue;

import dev.conveyor.job.Job;

/**
 * What enqueueing one job did. For {@code CONFLICT}, {@code job} is the job that holds the idempotency key, or null
 * when two jobs of the same batch used the key for different requests.
 */
public record Enqueued(Job job, Outcome outcome) {

    public enum Outcome {
        CREATED,
        /** the idempotency key was used before by the same request: this is that job */
        EXISTING,
        /** another job of the queue holds the unique key: this is that job (nothing was enqueued) */
        UNIQUE_HELD,
        /** the idempotency key was used before by a different request */
        CONFLICT,
        /** not enqueued because another job of its batch (same queue) conflicts: batches are all or nothing */
        NOT_ENQUEUED,
        /** not enqueued: its queue is new and the registry holds conveyor.queue.max-queues queues already */
        QUEUE_LIMIT
    }
}
