package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;

/** Edge cases of the lease, recovery, cancellation and idempotency scripts, against a real Redis. */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class LeaseScriptsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    JobStore store;

    private static String queue() {
        return "lease-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static NewJob job(String queue, int maxAttempts) {
        return new NewJob("echo", queue, 5, "{}", maxAttempts, null, null, null, null, null);
    }

    private JobId enqueue(NewJob job) {
        return store.enqueue(List.of(job)).await().atMost(WAIT).get(0).job().id();
    }

    private ClaimedJob claimOne(String queue, Duration lease) {
        List<ClaimedJob> jobs = store.claim(queue, 1, lease, "test:" + UUID.randomUUID()).await().atMost(WAIT).jobs();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    private Job get(JobId id) {
        return store.find(id).await().atMost(WAIT).orElseThrow();
    }

    @Test
    void aStaleTokenCannotExtendCompleteOrFailAJob() {
        String queue = queue();
        JobId id = enqueue(job(queue, 3));
        ClaimedJob claimed = claimOne(queue, Duration.ofMinutes(1));
        ClaimedJob stale = new ClaimedJob(claimed.id(), claimed.type(), claimed.payload(), claimed.attempt(),
                claimed.maxAttempts(), null, null, claimed.createdAt(), claimed.readyAt(), 5, "someone-else:1");

        LeaseReport report = store.extend(queue, List.of(stale), Duration.ofMinutes(1)).await().atMost(WAIT);
        assertThat(report.lost()).containsExactly(id);
        assertThat(store.complete(stale, "1").await().atMost(WAIT)).isFalse();
        assertThat(store.fail(stale, "boom", null).await().atMost(WAIT)).isEmpty();
        assertThat(store.release(stale).await().atMost(WAIT)).isFalse();
        assertThat(get(id).status()).isEqualTo(JobStatus.RUNNING);

        assertThat(store.complete(claimed, "2").await().atMost(WAIT)).isTrue();
        assertThat(store.complete(claimed, "3").await().atMost(WAIT)).as("second completion").isFalse();
        assertThat(get(id).result()).isEqualTo("2");
    }

    @Test
    void anExpiredLeaseIsRecoveredOnceEvenWithConcurrentReapersAndTheOldHolderIsFenced() {
        String queue = queue();
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(enqueue(job(queue, 5)));
        }
        List<ClaimedJob> claimed = store.claim(queue, 20, Duration.ofMillis(1), "dead:1").await().atMost(WAIT).jobs();
        assertThat(claimed).hasSize(20);

        List<JobId> requeued = new ArrayList<>();
        Awaitility.await().atMost(WAIT).until(() -> {
            // several reapers at once, as when every worker reaps
            List<Recovered> round = Uni.join().all(store.reap(queue), store.reap(queue), store.reap(queue))
                    .andFailFast().await().atMost(WAIT);
            round.forEach(r -> r.requeued().forEach(ref -> requeued.add(ref.id())));
            return requeued.size() >= 20;
        });
        assertThat(requeued).containsExactlyInAnyOrderElementsOf(ids);
        for (JobId id : ids) {
            Job job = get(id);
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(job.attempts()).as("the lost attempt counts").isEqualTo(1);
            assertThat(job.errorHistory()).contains("lease expired");
        }
        assertThat(store.complete(claimed.get(0), "{}").await().atMost(WAIT)).as("old holder is fenced").isFalse();
        assertThat(store.claim(queue, 50, Duration.ofMinutes(1), "alive:1").await().atMost(WAIT).jobs()).hasSize(20);
    }

    @Test
    void aJobThatKeepsLosingItsWorkerFailsAfterItsAttempts() {
        String queue = queue();
        JobId id = enqueue(job(queue, 2));
        for (int attempt = 1; attempt <= 2; attempt++) {
            claimOne(queue, Duration.ofMillis(1));
            Awaitility.await().atMost(WAIT).until(() -> !store.reap(queue).await().atMost(WAIT).isEmpty());
        }
        Job job = get(id);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.error()).contains("lease expired");
    }

    @Test
    void cancellingARunningJobFlagsItAndItsFailureRecordsCancelled() {
        String queue = queue();
        JobId id = enqueue(job(queue, 3));
        ClaimedJob claimed = claimOne(queue, Duration.ofMinutes(1));

        assertThat(store.cancel(id).await().atMost(WAIT)).contains("cancel-requested");
        assertThat(get(id).cancelRequested()).isTrue();
        LeaseReport report = store.extend(queue, List.of(claimed), Duration.ofMinutes(1)).await().atMost(WAIT);
        assertThat(report.cancelRequested()).containsExactly(id);

        Instant retryAt = Instant.now();
        assertThat(store.fail(claimed, "cancelled by request", retryAt).await().atMost(WAIT))
                .as("cancellation wins over a retry").contains(JobStatus.CANCELLED);
        assertThat(store.cancel(id).await().atMost(WAIT)).contains("cancelled");

        assertThat(store.requeue(id).await().atMost(WAIT)).contains("queued");
        Job again = get(id);
        assertThat(again.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(again.attempts()).isZero();
        assertThat(again.cancelRequested()).isFalse();
    }

    @Test
    void waitingJobsAreCancelledAtOnceAndFinishedOnesAreNot() {
        String queue = queue();
        JobId queued = enqueue(job(queue, 3));
        JobId scheduled = enqueue(new NewJob("echo", queue, 5, "{}", 3, Instant.now().plusSeconds(3600), null, null,
                null, null));
        assertThat(store.cancel(queued).await().atMost(WAIT)).contains("cancelled");
        assertThat(store.cancel(scheduled).await().atMost(WAIT)).contains("cancelled");
        assertThat(store.claim(queue, 10, Duration.ofMinutes(1), "t:1").await().atMost(WAIT).jobs()).isEmpty();

        JobId done = enqueue(job(queue, 3));
        store.complete(claimOne(queue, Duration.ofMinutes(1)), "{}").await().atMost(WAIT);
        assertThat(store.cancel(done).await().atMost(WAIT)).contains("succeeded");
        assertThat(store.requeue(done).await().atMost(WAIT)).contains("succeeded");
        assertThat(store.cancel(JobId.newId(queue, 0)).await().atMost(WAIT)).isEmpty();
    }

    @Test
    void aReleasedJobIsBackAtOnceWithoutCountingTheAttempt() {
        String queue = queue();
        JobId id = enqueue(job(queue, 3));
        ClaimedJob claimed = claimOne(queue, Duration.ofMinutes(1));
        assertThat(store.release(claimed).await().atMost(WAIT)).isTrue();
        Job job = get(id);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(claimOne(queue, Duration.ofMinutes(1)).attempt()).isEqualTo(1);
    }

    @Test
    void dueJobsArePromotedInDueTimeOrder() {
        String queue = queue();
        Instant base = Instant.now().plusMillis(300);
        JobId third = enqueue(new NewJob("echo", queue, 5, "{}", 3, base.plusMillis(20), null, null, null, null));
        JobId first = enqueue(new NewJob("echo", queue, 5, "{}", 3, base, null, null, null, null));
        JobId second = enqueue(new NewJob("echo", queue, 5, "{}", 3, base.plusMillis(10), null, null, null, null));

        Claim early = store.claim(queue, 10, Duration.ofMinutes(1), "t:1").await().atMost(WAIT);
        assertThat(early.jobs()).isEmpty();
        assertThat(early.nextDue()).isEqualTo(base.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));

        List<JobId> order = new ArrayList<>();
        Awaitility.await().atMost(WAIT).until(() -> {
            store.claim(queue, 10, Duration.ofMinutes(1), "t:2").await().atMost(WAIT).jobs()
                    .forEach(j -> order.add(j.id()));
            return order.size() == 3;
        });
        assertThat(order).containsExactly(first, second, third);
    }

    @Test
    void anIdempotencyKeyAnswersTheSameJobForTheSameRequestAndConflictsOtherwise() {
        String queue = queue();
        NewJob original = new NewJob("echo", queue, 5, "{}", 3, null, null, null, "key-1", "hash-a");
        Enqueued first = store.enqueue(List.of(original)).await().atMost(WAIT).get(0);
        Enqueued again = store.enqueue(List.of(original)).await().atMost(WAIT).get(0);
        Enqueued other = store.enqueue(List.of(new NewJob("echo", queue, 5, "{\"x\":1}", 3, null, null, null, "key-1",
                "hash-b"))).await().atMost(WAIT).get(0);

        assertThat(first.outcome()).isEqualTo(Enqueued.Outcome.CREATED);
        assertThat(again.outcome()).isEqualTo(Enqueued.Outcome.EXISTING);
        assertThat(again.job().id()).isEqualTo(first.job().id());
        assertThat(other.outcome()).isEqualTo(Enqueued.Outcome.CONFLICT);
        assertThat(other.job().id()).isEqualTo(first.job().id());
        assertThat(store.counts(List.of(queue)).await().atMost(WAIT).get(queue).get(JobStatus.QUEUED)).isEqualTo(1);
    }

    @Test
    void enqueueEachGivesEveryJobTheOutcomeItWouldHaveHadAlone() {
        String queue = queue();
        Job held = store.enqueue(List.of(keyed(queue, "key-1", "hash-a"))).await().atMost(WAIT).get(0).job();

        List<Enqueued> results = store.enqueueEach(List.of(
                keyed(queue, "key-1", "hash-b"),
                keyed(queue, null, null),
                keyed(queue, "key-1", "hash-a"),
                keyed(queue, "key-2", "hash-c"),
                keyed(queue, "key-2", "hash-c"),
                keyed(queue, "key-2", "hash-d"))).await().atMost(WAIT);

        assertThat(results).extracting(Enqueued::outcome).containsExactly(Enqueued.Outcome.CONFLICT,
                Enqueued.Outcome.CREATED, Enqueued.Outcome.EXISTING, Enqueued.Outcome.CREATED,
                Enqueued.Outcome.EXISTING, Enqueued.Outcome.CONFLICT);
        assertThat(results.get(0).job().id()).isEqualTo(held.id());
        assertThat(results.get(2).job().id()).isEqualTo(held.id());
        JobId second = results.get(3).job().id();
        assertThat(results.get(4).job().id()).isEqualTo(second);
        assertThat(results.get(5).job().id()).isEqualTo(second);
        assertThat(store.counts(List.of(queue)).await().atMost(WAIT).get(queue).get(JobStatus.QUEUED)).isEqualTo(3);
    }

    @Test
    void aBatchWithOneConflictEnqueuesNothing() {
        String queue = queue();
        Job held = store.enqueue(List.of(keyed(queue, "key-1", "hash-a"))).await().atMost(WAIT).get(0).job();

        List<Enqueued> results = store.enqueue(List.of(keyed(queue, null, null), keyed(queue, "key-1", "hash-b"),
                keyed(queue, "key-2", "hash-c"), keyed(queue, "key-2", "hash-d"))).await().atMost(WAIT);

        assertThat(results).extracting(Enqueued::outcome).containsExactly(Enqueued.Outcome.NOT_ENQUEUED,
                Enqueued.Outcome.CONFLICT, Enqueued.Outcome.NOT_ENQUEUED, Enqueued.Outcome.CONFLICT);
        assertThat(results.get(1).job().id()).isEqualTo(held.id());
        assertThat(results.get(3).job()).as("two jobs of the batch share the key").isNull();
        assertThat(store.counts(List.of(queue)).await().atMost(WAIT).get(queue).get(JobStatus.QUEUED)).isEqualTo(1);
    }

    private static NewJob keyed(String queue, String idempotencyKey, String requestHash) {
        return new NewJob("echo", queue, 5, "{}", 3, null, null, null, idempotencyKey, requestHash);
    }
}
