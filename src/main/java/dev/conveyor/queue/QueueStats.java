package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.conveyor.job.Job;

/**
 * Operator statistics of one queue. {@code byType} maps a job type to counters since the queue began:
 * enqueued, succeeded, retried, failed, cancelled, recovered. {@code recentFailures} are the latest jobs that failed
 * for good (still within retention), newest first; {@code perMinute} counts finished jobs (succeeded, failed for good) as
 * workers counted them, newest minute first.
 */
public record QueueStats(String queue, Map<String, Map<String, Long>> byType, List<Job> recentFailures,
        List<Minute> perMinute) {

    public record Minute(Instant start, long succeeded, long failed) {
    }
}
