package dev.conveyor.handler;

/** What a handler may want to know about the job it runs. */
public record JobContext(String jobId, String queue, int attempt, int maxAttempts) {
}
