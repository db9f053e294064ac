package dev.conveyor.queue;

import dev.conveyor.job.JobStatus;

/** What a cancel request did, and the status the job has now (null when there is no such job). */
public record CancelOutcome(Result result, JobStatus status) {

    public enum Result {
        /** a waiting job cancelled at once (or a job that was cancelled already) */
        CANCELLED,
        /** a running job: flagged, and its worker told to stop it */
        CANCEL_REQUESTED,
        /** a finished job */
        NOT_CANCELLABLE,
        NO_SUCH_JOB
    }

    /** The cancel script's answer: 'cancelled', 'cancel-requested', 'missing' or the status of a finished job. */
    static CancelOutcome decode(String answer) {
        return switch (answer) {
            case "cancelled" -> new CancelOutcome(Result.CANCELLED, JobStatus.CANCELLED);
            case "cancel-requested" -> new CancelOutcome(Result.CANCEL_REQUESTED, JobStatus.RUNNING);
            case "missing" -> new CancelOutcome(Result.NO_SUCH_JOB, null);
            default -> new CancelOutcome(Result.NOT_CANCELLABLE, JobStatus.fromWireName(answer));
        };
    }
}
