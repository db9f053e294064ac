package dev.conveyor.queue;

import java.util.List;

import dev.conveyor.job.JobId;
import dev.conveyor.job.NewJob;

/**
 * An enqueue that Redis did not answer (see {@link RedisNoAnswerException}): its jobs may exist, now or later, under
 * the ids assigned before the call, which the client is told so that it can look them up instead of enqueueing again.
 */
public class OutcomeUnknownException extends RedisUnavailableException {

    private final List<NewJob> jobs;
    private final List<JobId> ids;
    private final boolean single;

    private OutcomeUnknownException(List<NewJob> jobs, List<JobId> ids, boolean single, Throwable cause) {
        super("the outcome of enqueueing " + ids + " is unknown: " + cause.getMessage(), cause);
        this.jobs = jobs;
        this.ids = ids;
        this.single = single;
    }

    /** The jobs of one call, each with the id it was sent with (same order). */
    static OutcomeUnknownException of(List<NewJob> jobs, List<JobId> ids, Throwable cause) {
        return new OutcomeUnknownException(List.copyOf(jobs), List.copyOf(ids), false, cause);
    }

    /** The part of this outcome that concerns one of its jobs (a single request sent with others); null if none. */
    public OutcomeUnknownException of(NewJob job) {
        for (int i = 0; i < jobs.size(); i++) {
            if (jobs.get(i) == job) {
                return new OutcomeUnknownException(List.of(job), List.of(ids.get(i)), true, getCause());
            }
        }
        return null;
    }

    /** The ids the jobs were sent with, in request order. */
    public List<JobId> jobIds() {
        return ids;
    }

    /** Whether this concerns a single request (one {@code jobId}) rather than a client's batch. */
    public boolean single() {
        return single;
    }
}
