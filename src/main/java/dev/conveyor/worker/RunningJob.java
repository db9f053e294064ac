package dev.conveyor.worker;

import java.util.concurrent.CompletableFuture;

import dev.conveyor.queue.ClaimedJob;
import io.smallrye.mutiny.Uni;

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

    private final ClaimedJob job;
    private final CompletableFuture<StopReason> stop = new CompletableFuture<>();

    RunningJob(ClaimedJob job) {
        this.job = job;
    }

    ClaimedJob job() {
        return job;
    }

    /** The first reason wins; later ones are ignored. */
    void stop(StopReason reason) {
        stop.complete(reason);
    }

    Uni<StopReason> stopped() {
        return Uni.createFrom().completionStage(stop);
    }
}
