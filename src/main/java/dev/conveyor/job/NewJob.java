package dev.conveyor.job;

import java.time.Duration;
import java.time.Instant;

/**
 * A validated request to enqueue one job. {@code runAt} is null for "as soon as possible"; {@code timeout} and
 * {@code backoff} are null for the worker's defaults; {@code requestHash}
 * fingerprints the request so that a repeated idempotency key can tell "same request" from "different request".
 */
public record NewJob(
        String type,
        String queue,
        int priority,
        String payload,
        int maxAttempts,
        Instant runAt,
        Duration timeout,
        Backoff backoff,
        String idempotencyKey,
        String requestHash) {

    public static final int HIGHEST_PRIORITY = 1;
    public static final int LOWEST_PRIORITY = 10;
    public static final int DEFAULT_PRIORITY = 5;
    public static final int MAX_ATTEMPTS_LIMIT = 100;
}
