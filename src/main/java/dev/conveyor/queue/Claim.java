package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;

/**
 * What one claim call did: the jobs it leased, when the earliest waiting (scheduled or retrying) job falls due (or
 * null), and for each success it was given whether it was recorded (false: the lease had been lost).
 */
public record Claim(List<ClaimedJob> jobs, Instant nextDue, List<Boolean> recorded) {
}
