package dev.conveyor.worker;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import dev.conveyor.queue.Claim;
import dev.conveyor.queue.LimitHold;
import dev.conveyor.role.WorkerRole;

/**
 * The queues this worker does not claim from for now because their limits held jobs back: until the next token of a
 * rate limit (exactly when the claim script said, at most {@code conveyor.worker.idle-wait}), or, for a concurrency
 * limit, until a slot may be free: a job of the queue ended here, an idle wait was woken (the scripts ending a job of
 * a queue at its limit wake one), or {@code conveyor.worker.limit-recheck} passed. The other queues are claimed from
 * as usual meanwhile. Each wait on a limit is timed, from the claim that was held back to the next claim of that queue.
 */
@Singleton
@WorkerRole
class LimitHolds {

    enum Kind {
        RATE, CONCURRENCY;

        String label() {
            return this == RATE ? "rate" : "concurrency";
        }
    }

    private record Hold(Kind kind, Instant since, Instant until) {
    }

    private final Map<String, Hold> holds = new ConcurrentHashMap<>();
    private final WorkerMetrics metrics;
    private final Duration recheck;
    /** A long rate wait is cut to this, so that the queue's due jobs are still promoted and a new rate is seen. */
    private final Duration longestRateHold;

    LimitHolds(WorkerMetrics metrics, WorkerConfig config) {
        this.metrics = metrics;
        this.recheck = config.limitRecheck();
        this.longestRateHold = config.idleWait();
    }

    /** After a claim of {@code queue}: ends its previous hold (timing the wait) and starts the one it answered. */
    void claimed(String queue, Claim claim, Instant now) {
        Hold previous = holds.remove(queue);
        if (previous != null) {
            metrics.waitedOnLimit(queue, previous.kind().label(), Duration.between(previous.since(), now));
        }
        LimitHold held = claim.held();
        if (!held.any()) {
            return;
        }
        Hold hold = held.slotsFull() ? new Hold(Kind.CONCURRENCY, now, now.plus(recheck))
                : new Hold(Kind.RATE, now, now.plus(shorter(held.rateWait(), longestRateHold)));
        holds.put(queue, hold);
        metrics.heldByLimit(queue, hold.kind().label());
    }

    /** When the queue may be claimed from again; null when it is not held. */
    Instant heldUntil(String queue, Instant now) {
        Hold hold = holds.get(queue);
        return hold == null || !now.isBefore(hold.until()) ? null : hold.until();
    }

    /** A job of the queue ended in this worker: a slot of its concurrency limit is free. */
    void jobEnded(String queue) {
        holds.computeIfPresent(queue, (q, hold) -> hold.kind() == Kind.CONCURRENCY ? expired(hold) : hold);
    }

    /** An idle wait was woken: a slot may have been freed in any of the queues held by their concurrency limit. */
    void woken() {
        holds.replaceAll((q, hold) -> hold.kind() == Kind.CONCURRENCY ? expired(hold) : hold);
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Hold expired(Hold hold) {
        return new Hold(hold.kind(), hold.since(), hold.since());
    }
}
