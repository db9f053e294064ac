package dev.conveyor.queue;

/** A successful attempt to record: the job (with the lease token that fences the write) and its result as JSON. */
public record Completion(ClaimedJob job, String result) {
}
