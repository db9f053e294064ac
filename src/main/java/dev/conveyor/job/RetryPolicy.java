package dev.conveyor.job;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, capped: the delay before attempt n+1 is uniform in
 * [0, min(cap, initial * 2^(n-1))] (see "Exponential Backoff And Jitter", AWS Architecture Blog).
 */
public record RetryPolicy(Duration initialDelay, Duration maxDelay) {

    public Duration delayAfter(int failedAttempts) {
        long ceiling = ceilingMillis(failedAttempts);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    long ceilingMillis(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long cap = maxDelay.toMillis();
        long base = initialDelay.toMillis();
        if (base <= 0) {
            return 0;
        }
        return (cap >> doublings) < base ? cap : base << doublings;
    }
}
