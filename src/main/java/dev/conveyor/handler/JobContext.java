package dev.conveyor.handler;

import java.time.Duration;
import java.time.Instant;

/**
 * What a handler may want to know about the job it runs. At {@code deadline} the attempt times out and its
 * {@code Uni} is cancelled; handlers that hold outside resources (a connection, a request) should not outlive it.
 */
public record JobContext(String jobId, String queue, int attempt, int maxAttempts, Instant deadline) {

    /** Time left before the deadline, never negative. */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }
}
