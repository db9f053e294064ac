package dev.conveyor.worker;

import java.util.concurrent.atomic.AtomicReference;

import dev.conveyor.queue.ClaimedJob;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;

/** A job this worker is running, with the switch that stops it early. */
final class RunningJob {

    enum StopReason {
        /** a client asked to cancel it: record it as cancelled */
        CANCELLED,
        /** its lease was taken away (the job was recovered elsewhere): record nothing */
        LEASE_LOST,
        /** this worker is shutting down: hand the job back to its queue */
        SHUTDOWN
    }

    /** How one run ended: the handler's result, its failure, or a stop from outside; and how long it ran. */
    record Outcome(String result, Throwable failure, StopReason stop, long nanos) {

        boolean succeeded() {
            return stop == null && failure == null;
        }

        long millis() {
            return nanos / 1_000_000;
        }
    }

    private final ClaimedJob job;
    private final long startedAt = System.nanoTime();
    private final AtomicReference<StopReason> stop = new AtomicReference<>();
    private volatile UniEmitter<? super Outcome> outcome;
    private volatile Cancellable attempt;
    /** Its handler reported progress at least once. */
    private volatile boolean reportedProgress;

    RunningJob(ClaimedJob job) {
        this.job = job;
    }

    ClaimedJob job() {
        return job;
    }

    void progressReported() {
        reportedProgress = true;
    }

    boolean reportedProgress() {
        return reportedProgress;
    }

    private long ranFor() {
        return System.nanoTime() - startedAt;
    }

    /** The first reason wins; later ones are ignored. Ends the run at once and cancels the attempt. */
    void stop(StopReason reason) {
        if (!stop.compareAndSet(null, reason)) {
            return;
        }
        UniEmitter<? super Outcome> emitter = outcome;
        if (emitter != null) {
            emitter.complete(new Outcome(null, null, reason, ranFor()));
        }
        Cancellable running = attempt;
        if (running != null) {
            running.cancel();
        }
    }

    /**
     * Runs the attempt and ends with whichever comes first: its result or failure, or a stop (also one that came
     * before). A plain race on one emitter, which completes once and ignores the loser: this runs for every job, and
     * {@code Uni.combine().any()} costs a CompletableFuture and a cancellation exception per job.
     */
    Uni<Outcome> race(Uni<String> attemptToRun) {
        return Uni.createFrom().emitter(emitter -> {
            // published before reading the stop, and stop() writes the stop before reading this: one sees the other
            outcome = emitter;
            StopReason early = stop.get();
            if (early != null) {
                emitter.complete(new Outcome(null, null, early, ranFor()));
                return;
            }
            attempt = attemptToRun.subscribe().with(
                    result -> emitter.complete(new Outcome(result, null, null, ranFor())),
                    failure -> emitter.complete(new Outcome(null, failure, null, ranFor())));
            if (stop.get() != null) {
                attempt.cancel();
            }
        });
    }
}
