package dev.conveyor.queue;

import dev.conveyor.job.JobId;

/**
 * One entry of a queue's events stream: a job change, or a reset (the stream was not written for a while, because
 * nobody listened: a reader resuming from before it missed events).
 *
 * @param id the stream entry's id, ordered within the queue
 * @param job null for a reset
 * @param attempt null when the change does not say
 * @param error the attempt's error, for retrying and failed jobs and those recovered from a dead worker
 * @param progress the progress the job's handler reported, as JSON
 */
public record QueueEvent(String queue, String id, JobId job, String status, Integer attempt, String error,
        String progress) {

    public boolean reset() {
        return job == null;
    }

    /** Whether stream entry id {@code a} comes after {@code b} (ids are {@code <ms>-<seq>}). */
    public static boolean after(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        long msA = Long.parseLong(a.substring(0, dashA));
        long msB = Long.parseLong(b.substring(0, dashB));
        if (msA != msB) {
            return msA > msB;
        }
        return Long.parseLong(a.substring(dashA + 1)) > Long.parseLong(b.substring(dashB + 1));
    }
}
