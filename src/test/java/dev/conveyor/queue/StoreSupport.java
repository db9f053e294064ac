package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Singleton;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;

/**
 * Blocking shortcuts over {@link JobStore} and {@link QueueInspector} for the tests that drive the store by hand
 * (with {@link StoreOnlyProfile}, so that the worker leaves their queues alone).
 */
@Singleton
class StoreSupport {

    static final Duration CALL = Duration.ofSeconds(5);
    static final Duration LEASE = Duration.ofSeconds(30);

    private final JobStore store;
    private final QueueInspector inspector;

    StoreSupport(JobStore store, QueueInspector inspector) {
        this.store = store;
        this.inspector = inspector;
    }

    static NewJob echo(String queue, int priority) {
        return new NewJob("echo", queue, priority, "{\"n\":" + priority + "}", 3, null, null, null, null, null);
    }

    static NewJob job(String queue, int priority, int maxAttempts, Instant runAt) {
        return new NewJob("echo", queue, priority, "{}", maxAttempts, runAt, null, null, null, null);
    }

    static NewJob keyed(String queue, String idempotencyKey, String requestHash) {
        return new NewJob("echo", queue, 5, "{}", 3, null, null, null, idempotencyKey, requestHash);
    }

    Job enqueue(NewJob job) {
        return enqueueAll(List.of(job)).get(0);
    }

    /** Enqueues a batch, all of which must be created. */
    List<Job> enqueueAll(List<NewJob> jobs) {
        List<Enqueued> results = store.enqueue(jobs).await().atMost(CALL);
        assertThat(results).extracting(Enqueued::outcome).containsOnly(Enqueued.Outcome.CREATED);
        return results.stream().map(Enqueued::job).toList();
    }

    /** Enqueues a batch whatever the outcomes. */
    List<Enqueued> enqueueOutcomes(List<NewJob> jobs) {
        return store.enqueue(jobs).await().atMost(CALL);
    }

    List<Enqueued> enqueueEach(List<NewJob> jobs) {
        return store.enqueueEach(jobs).await().atMost(CALL);
    }

    Claim claim(String queue, int max, String token) {
        return claim(queue, max, LEASE, token);
    }

    Claim claim(String queue, int max, Duration lease, String token) {
        return store.completeAndClaim(queue, max, lease, token, List.of()).await().atMost(CALL);
    }

    Claim completeAndClaim(String queue, int max, String token, List<Completion> succeeded) {
        return store.completeAndClaim(queue, max, LEASE, token, succeeded).await().atMost(CALL);
    }

    /** Claims exactly one job, which must be {@code id}. */
    ClaimedJob claimOne(String queue, JobId id, String token) {
        return claimOne(queue, id, LEASE, token);
    }

    ClaimedJob claimOne(String queue, JobId id, Duration lease, String token) {
        Claim claim = claim(queue, 1, lease, token);
        assertThat(claim.jobs()).as("claim of " + queue).extracting(ClaimedJob::id).containsExactly(id);
        return claim.jobs().get(0);
    }

    /** Records one success on its own; false when the lease was lost. */
    boolean complete(ClaimedJob job, String result) {
        return completeAndClaim(job.id().queue(), 0, "", List.of(new Completion(job, result))).recorded().get(0)
                .isPresent();
    }

    /** Records a failed attempt, to be retried after {@code retryDelay} (null: not retryable). */
    Optional<JobStatus> fail(ClaimedJob job, String error, Duration retryDelay) {
        return store.fail(job, error, retryDelay).await().atMost(CALL);
    }

    LeaseReport extend(String queue, List<ClaimedJob> running, Duration lease) {
        return store.extend(queue, running, lease).await().atMost(CALL);
    }

    /** Hands a running job back: the status it is left in, empty when the lease was lost. */
    Optional<JobStatus> release(ClaimedJob job) {
        return store.release(job).await().atMost(CALL);
    }

    CancelOutcome cancel(JobId id) {
        return store.cancel(id).await().atMost(CALL);
    }

    RerunOutcome rerun(JobId id) {
        return store.rerun(id).await().atMost(CALL);
    }

    void pause(String queue) {
        store.pause(queue).await().atMost(CALL);
    }

    Recovered reap(String queue) {
        return store.reap(queue).await().atMost(CALL);
    }

    Job find(JobId id) {
        return inspector.find(id).await().atMost(CALL).orElseThrow(() -> new AssertionError("no job " + id));
    }

    Map<JobStatus, Long> counts(String queue) {
        return inspector.counts(List.of(queue)).await().atMost(CALL).get(queue);
    }

    /** The same claimed job with another lease token, as a worker that lost (or never had) the lease would hold. */
    static ClaimedJob withToken(ClaimedJob job, String token) {
        return new ClaimedJob(job.id(), job.type(), job.payload(), job.attempt(), job.maxAttempts(), job.timeout(),
                job.backoff(), job.createdAt(), job.readyAt(), job.priority(), token);
    }
}
