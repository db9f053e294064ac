package dev.conveyor.queue;

import java.util.List;

import dev.conveyor.job.JobId;

/** What one reap did with jobs whose lease expired. */
public record Recovered(List<JobId> requeued, List<JobId> failed, List<JobId> cancelled) {

    public boolean isEmpty() {
        return requeued.isEmpty() && failed.isEmpty() && cancelled.isEmpty();
    }
}
