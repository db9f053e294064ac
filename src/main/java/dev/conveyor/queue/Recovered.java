package dev.conveyor.queue;

import java.util.List;

import dev.conveyor.job.JobId;

/**
 * What one reap did with jobs whose lease expired; {@code more} when it left work (expired leases or finished jobs
 * past their retention) for another call.
 */
public record Recovered(List<Ref> requeued, List<Ref> failed, List<Ref> cancelled, boolean more) {

    /** A recovered job and its type (for metrics). */
    public record Ref(JobId id, String type) {
    }

    public boolean isEmpty() {
        return requeued.isEmpty() && failed.isEmpty() && cancelled.isEmpty();
    }
}
