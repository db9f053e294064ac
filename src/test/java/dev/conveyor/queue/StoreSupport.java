package dev.conveyor.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;

/** Blocking shortcuts over {@link JobStore} for the tests that drive the store by hand. */
final class StoreSupport {

    static final Duration CALL = Duration.ofSeconds(5);
    static final Duration LEASE = Duration.ofSeconds(30);

    private final JobStore store;

    StoreSupport(JobStore store) {
        this.store = store;
    }

    static NewJob echo(String queue, int priority) {
        return new NewJob("echo", queue, priority, "{\"n\":" + priority + "}", 3, null, null, null, null, null);
    }

    static NewJob job(String queue, int priority, int maxAttempts, Instant runAt) {
        return new NewJob("echo", queue, priority, "{}", maxAttempts, runAt, null, null, null, null);
    }

    Job enqueue(NewJob job) {
        return enqueueAll(List.of(job)).get(0);
    }

    List<Job> enqueueAll(List<NewJob> jobs) {
        List<Enqueued> results = store.enqueue(jobs).await().atMost(CALL);
        results.forEach(r -> assertEquals(Enqueued.Outcome.CREATED, r.outcome()));
        return results.stream().map(Enqueued::job).toList();
    }

    Claim claim(String queue, int max, String token) {
        return claim(queue, max, LEASE, token);
    }

    Claim claim(String queue, int max, Duration lease, String token) {
        return store.claim(queue, max, lease, token).await().atMost(CALL);
    }

    /** Claims exactly one job, which must be {@code id}. */
    ClaimedJob claimOne(String queue, JobId id, String token) {
        Claim claim = claim(queue, 1, token);
        assertEquals(1, claim.jobs().size(), () -> "claim of " + queue + ": " + claim);
        assertEquals(id, claim.jobs().get(0).id());
        return claim.jobs().get(0);
    }

    boolean complete(ClaimedJob job, String result) {
        return store.complete(job, result).await().atMost(CALL);
    }

    Optional<JobStatus> fail(ClaimedJob job, String error, Instant retryAt) {
        return store.fail(job, error, retryAt).await().atMost(CALL);
    }

    Job find(JobId id) {
        return store.find(id).await().atMost(CALL).orElseThrow(() -> new AssertionError("no job " + id));
    }

    Map<JobStatus, Long> counts(String queue) {
        return store.counts(List.of(queue)).await().atMost(CALL).get(queue);
    }

    Recovered reap(String queue) {
        return store.reap(queue).await().atMost(CALL);
    }

    /** The same claimed job with another lease token, as a worker that lost (or never had) the lease would hold. */
    static ClaimedJob withToken(ClaimedJob job, String token) {
        return new ClaimedJob(job.id(), job.type(), job.payload(), job.attempt(), job.maxAttempts(), job.timeout(),
                job.backoff(), job.createdAt(), job.readyAt(), job.priority(), token);
    }
}
