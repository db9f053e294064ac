package dev.conveyor.api;

import jakarta.inject.Singleton;

import dev.conveyor.auth.Caller;
import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.queue.QueueInspector;
import dev.conveyor.role.ApiRole;
import io.smallrye.mutiny.Uni;

/** A job named by a client: 404 for an id that names none, 403 for a queue the client may not use. */
@ApiRole
@Singleton
class JobLookup {

    private final QueueInspector inspector;
    private final Access access;

    JobLookup(QueueInspector inspector, Access access) {
        this.inspector = inspector;
        this.access = access;
    }

    /** The job id, once the caller may use its queue: 403 otherwise, whether or not the job exists. */
    JobId granted(Caller caller, String id) {
        JobId jobId = JobId.parse(id).orElseThrow(() -> ProblemException.notFound("no job " + id));
        access.checkQueue(caller, jobId.queue(), "id");
        return jobId;
    }

    /** The job; else 404, of type job-expired when retention removed it (see QueueInspector.expired). */
    Uni<Job> find(Caller caller, String id) {
        JobId jobId = granted(caller, id);
        return inspector.find(jobId).chain(job -> job.isPresent() ? Uni.createFrom().item(job.get()) : missing(jobId));
    }

    /** The 404 of a job that is not found: of type job-expired when retention removed it. */
    <T> Uni<T> missing(JobId id) {
        return inspector.expired(id).chain(expired -> Uni.createFrom().<T>failure(expired
                ? new ProblemException(404, "job-expired", "Job expired", "job " + id
                        + " finished and was removed by its queue's retention (conveyor.retention.*)", null, null)
                : ProblemException.notFound("no job " + id)));
    }
}
