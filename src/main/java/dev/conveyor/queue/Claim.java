package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.conveyor.job.JobStatus;

/**
 * What one claim call did: the jobs it leased, when the earliest waiting (scheduled or retrying) job falls due (or
 * null), for each success it was given the status it recorded: {@code succeeded}, or {@code cancelled} when a
 * client asked to cancel the job while it ran; empty when the lease had been lost; and whether the queue's limits
 * held back jobs that wait in it ({@link LimitHold#NONE} when not).
 */
public record Claim(List<ClaimedJob> jobs, Instant nextDue, List<Optional<JobStatus>> recorded, LimitHold held) {
}
