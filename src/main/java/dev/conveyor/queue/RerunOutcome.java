package dev.conveyor.queue;

import dev.conveyor.job.JobStatus;

/**
 * What a manual re-run request did: {@code QUEUED} a failed or cancelled job with fresh attempts (or found it queued
 * already), {@code NOT_RERUNNABLE} a job in another status, or {@code NO_SUCH_JOB}; with the status the job has now
 * (null when there is no such job).
 */
public record RerunOutcome(Result result, JobStatus status) {

    public enum Result { QUEUED, NOT_RERUNNABLE, NO_SUCH_JOB }

    /** The rerun script's answer: 'queued', 'missing' or the status of a job that cannot be re-run. */
    static RerunOutcome decode(String answer) {
        return switch (answer) {
            case "queued" -> new RerunOutcome(Result.QUEUED, JobStatus.QUEUED);
            case "missing" -> new RerunOutcome(Result.NO_SUCH_JOB, null);
            default -> new RerunOutcome(Result.NOT_RERUNNABLE, JobStatus.fromWireName(answer));
        };
    }
}
