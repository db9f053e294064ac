package dev.conveyor.queue;

import dev.conveyor.job.JobStatus;

/**
 * What a cancel request did: {@code CANCELLED} a waiting job (or one cancelled before), {@code CANCEL_REQUESTED} for
 * a running job (flagged, and its worker told to stop it), {@code NOT_CANCELLABLE} a finished job, or
 * {@code NO_SUCH_JOB}; with the status the job has now (null when there is no such job).
 */
public record CancelOutcome(Result result, JobStatus status) {

    public enum Result { CANCELLED, CANCEL_REQUESTED, NOT_CANCELLABLE, NO_SUCH_JOB }

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
