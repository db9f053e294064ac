package dev.conveyor.job;

import java.time.Instant;

/** The tick of a schedule that fires a job: the schedule's name and the instant the tick stands for. */
public record ScheduleTick(String schedule, Instant scheduledFor) {

    /**
     * The idempotency key of the tick's job. It holds a space, which no client's key may (they are visible ASCII), so
     * it never meets a client's key; two replicas firing the same tick enqueue one job.
     */
    public String idempotencyKey() {
        return "schedule " + schedule + " " + scheduledFor.toEpochMilli();
    }

    /**
     * Stands for "the same request" with the key: every replica firing the tick sends the same one. No space in it
     * (the enqueue script stores it before the job's ulid, separated by a space).
     */
    public String requestHash() {
        return schedule + "@" + scheduledFor.toEpochMilli();
    }
}
