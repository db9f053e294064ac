package dev.conveyor.queue;

/**
 * The Redis keys of one queue. All share the hash tag {@code {<queue>}}, so every script touches one slot and the
 * layout works on Redis Cluster.
 */
record QueueKeys(String queue, String base) {

    static QueueKeys of(String prefix, String queue) {
        return new QueueKeys(queue, prefix + ":{" + queue + "}:");
    }

    /** Job hashes are {@code jobPrefix() + ulid}; scripts that only learn ids from a set get this prefix in KEYS. */
    String jobPrefix() {
        return base + "job:";
    }

    String job(String ulid) {
        return jobPrefix() + ulid;
    }

    String idempotency(String key) {
        return idempotencyPrefix() + key;
    }

    /** Idempotency keys are {@code idempotencyPrefix() + key}; trimming builds them from a job's {@code idem} field. */
    String idempotencyPrefix() {
        return base + "idem:";
    }

    /** Unique keys are {@code uniquePrefix() + key}, holding the ulid of the job that holds the key. */
    String uniquePrefix() {
        return base + "unique:";
    }

    /** The unique keys held (their part after {@link #uniquePrefix()}), scored by when each expires (ms). */
    String uniqueKeys() {
        return base + "unique-keys";
    }

    /** Queued jobs, scored by priority then arrival. */
    String ready() {
        return base + "ready";
    }

    /** Jobs waiting for their runAt, scored by it. */
    String scheduled() {
        return base + "scheduled";
    }

    /** Jobs waiting for their next attempt, scored by its time. */
    String retry() {
        return base + "retry";
    }

    /** Running jobs, scored by lease deadline. */
    String active() {
        return base + "active";
    }

    String succeeded() {
        return base + "succeeded";
    }

    String failed() {
        return base + "failed";
    }

    String cancelled() {
        return base + "cancelled";
    }

    /** Every job id, all scored 0 so that lexical order (ULID = creation time) gives "newest first". */
    String all() {
        return base + "all";
    }

    String sequence() {
        return base + "seq";
    }

    /** Exists while the queue is paused: workers claim nothing from it. */
    String paused() {
        return base + "paused";
    }

    /** Per-type counters: {@code <type>:enqueued|succeeded|retried|failed|cancelled|recovered}. */
    String stats() {
        return base + "stats";
    }

    /**
     * Hash of jobs finished per minute, as workers counted them: {@code <minute>:s} succeeded and {@code <minute>:f}
     * failed for good, the minute being Unix time in minutes; the last hour or so, written by {@code throughput.lua}.
     */
    String throughput() {
        return base + "throughput";
    }

    /**
     * A list of the latest failed jobs that earlier versions kept (GET /stats reads the failed set): only deleted with
     * its queue, so that a deleted queue leaves nothing behind.
     */
    String legacyRecentFailures() {
        return base + "recent-failures";
    }

    /** Hash: the idempotency key of each job that has one (ulid to key), so that removing a job removes its key. */
    String idempotencyKeys() {
        return base + "idem-keys";
    }

    /**
     * Sorted set with one member, {@code created}, scored by the latest creation time (ms) of a job removed by
     * retention: a missing job created before it has expired.
     */
    String trimMark() {
        return base + "trimmed";
    }

    /** Stream of the queue's job changes, capped; written only while {@link #eventsListening()} exists. */
    String events() {
        return base + "events";
    }

    /** Exists while an API pod reads the queue's events; its value is the events stream's capacity. */
    String eventsListening() {
        return base + "events:listening";
    }

    /**
     * Hash of the queue's rate and concurrency limits ({@code rate} as set, {@code count}, {@code period} ms,
     * {@code burst}, {@code concurrency}); absent without limits. Read by the claim script on every claim.
     */
    String limits() {
        return base + "limits";
    }

    /** The state of the queue's rate limit (GCRA, {@code includes/gcra.lua}); expires when the limit is whole. */
    String limiter() {
        return base + "limiter";
    }

    /** An idle worker blocks on this sorted set; scripts add a member to wake one. */
    String marker() {
        return base + "marker";
    }
}
