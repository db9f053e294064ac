package dev.conveyor.queue;

import java.util.List;

import dev.conveyor.job.JobId;

/** After extending leases: jobs whose lease is lost, and jobs a client asked to cancel. */
public record LeaseReport(List<JobId> lost, List<JobId> cancelRequested) {
}
