package dev.conveyor.worker;

import java.time.Duration;

import dev.conveyor.job.RetryPolicy;
import io.smallrye.config.ConfigMapping;

/** {@code conveyor.retry.*}: backoff between attempts (exponential with full jitter, capped). */
@ConfigMapping(prefix = "conveyor.retry")
public interface RetryConfig {

    Duration initialDelay();

    Duration maxDelay();

    default RetryPolicy policy() {
        return new RetryPolicy(initialDelay(), maxDelay());
    }
}
