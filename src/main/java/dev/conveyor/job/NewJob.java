package dev.conveyor.job;

import java.time.Duration;
import java.time.Instant;

/**
 * A validated request to enqueue one job. It is due at {@code runAt} (the client's instant), or {@code delay} after it
 * reaches Redis (measured with Redis' clock), or as soon as possible when both are null; {@code timeout} and
 * {@code backoff} are null for the worker's defaults; {@code requestHash}
 * fingerprints the request so that a repeated idempotency key can tell "same request" from "different request";
 * {@code callback} is the stored form of the job's completion webhook (JSON, see {@code includes/callback.lua}), or null;
 * {@code unique} the job's unique key, or null;
 * {@code tick} names the schedule tick that fired the job, or is null for a job enqueued by a client.
 */
public record NewJob(
        String type,
        String queue,
        int priority,
        String payload,
        int maxAttempts,
        Instant runAt,
        Duration delay,
        Duration timeout,
        Backoff backoff,
        String idempotencyKey,
        String requestHash,
        String callback,
        Unique unique,
        ScheduleTick tick) {

    public static final int HIGHEST_PRIORITY = 1;
    public static final int LOWEST_PRIORITY = 10;
    public static final int DEFAULT_PRIORITY = 5;
    public static final int MAX_ATTEMPTS_LIMIT = 100;

    /** A job enqueued by a client (no schedule tick). */
    public NewJob(String type, String queue, int priority, String payload, int maxAttempts, Instant runAt,
            Duration delay, Duration timeout, Backoff backoff, String idempotencyKey, String requestHash,
            String callback, Unique unique) {
        this(type, queue, priority, payload, maxAttempts, runAt, delay, timeout, backoff, idempotencyKey, requestHash,
                callback, unique, null);
    }

    /** A job without unique key. */
    public NewJob(String type, String queue, int priority, String payload, int maxAttempts, Instant runAt,
            Duration delay, Duration timeout, Backoff backoff, String idempotencyKey, String requestHash,
            String callback) {
        this(type, queue, priority, payload, maxAttempts, runAt, delay, timeout, backoff, idempotencyKey, requestHash,
                callback, null);
    }

    /** A job without callback. */
    public NewJob(String type, String queue, int priority, String payload, int maxAttempts, Instant runAt,
            Duration delay, Duration timeout, Backoff backoff, String idempotencyKey, String requestHash) {
        this(type, queue, priority, payload, maxAttempts, runAt, delay, timeout, backoff, idempotencyKey, requestHash,
                null);
    }

    /** A job due at {@code runAt}, or as soon as possible when it is null. */
    public NewJob(String type, String queue, int priority, String payload, int maxAttempts, Instant runAt,
            Duration timeout, Backoff backoff, String idempotencyKey, String requestHash) {
        this(type, queue, priority, payload, maxAttempts, runAt, null, timeout, backoff, idempotencyKey, requestHash);
    }

    /**
     * This job with its idempotency key scoped to a client, so that two clients using the same key neither collide nor
     * see each other's jobs. The client's name is length-prefixed: no pair of name and key can spell another pair's
     * scope. An unnamed client (access control off) keeps the key as it is.
     */
    public NewJob scopedTo(String client) {
        if (idempotencyKey == null || client.isEmpty()) {
            return this;
        }
        return new NewJob(type, queue, priority, payload, maxAttempts, runAt, delay, timeout, backoff,
                client.length() + ":" + client + ":" + idempotencyKey, requestHash, callback, unique, tick);
    }

    /** This job as fired by a schedule's tick, with the idempotency key that makes it the tick's only job. */
    public NewJob firedBy(ScheduleTick fired) {
        return new NewJob(type, queue, priority, payload, maxAttempts, null, null, timeout, backoff,
                fired.idempotencyKey(), fired.requestHash(), callback, unique, fired);
    }
}
