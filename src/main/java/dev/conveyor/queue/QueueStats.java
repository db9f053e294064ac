package dev.conveyor.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.conveyor.job.Job;

/**
 * Operator statistics of one queue. {@code byType} maps a job type to counters since the queue began:
 * enqueued, succeeded, retried, failed, cancelled, recovered. {@code recentFailures} are this queue's jobs among the
 * latest that failed for good over all the queues read together (still within retention), newest first; {@code perMinute} counts finished jobs (succeeded, failed for good) as
 * workers counted them, newest minute first.
 */
public record QueueStats(String queue, Map<String, Map<String, Long>> byType, List<Job> recentFailures,
        List<Minute> perMinute) {

    public record Minute(Instant start, long succeeded, long failed) {
    }
}
