package dev.conveyor.job;

import java.time.Duration;

/**
 * A job's own retry backoff, overriding {@code conveyor.retry.*}: exponential from {@code initialDelay}, capped at
 * {@code maxDelay} (null: the worker's cap).
 */
public record Backoff(Duration initialDelay, Duration maxDelay) {

    public RetryPolicy policy(Duration defaultMaxDelay) {
        return new RetryPolicy(initialDelay, maxDelay == null ? defaultMaxDelay : maxDelay);
    }
}
