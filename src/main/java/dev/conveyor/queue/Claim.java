package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;

/** The jobs one claim leased, and when the earliest waiting (scheduled or retrying) job falls due, or null. */
public record Claim(List<ClaimedJob> jobs, Instant nextDue) {
}
