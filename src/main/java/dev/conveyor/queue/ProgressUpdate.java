package dev.conveyor.queue;

/**
 * A running job's latest progress report to store: the job (with the lease token that fences the write) and the
 * report as JSON, {@code {"percent": n, "details": {...}, "updatedAt": "<instant>"}} with absent parts left out.
 */
public record ProgressUpdate(ClaimedJob job, String json) {
}
