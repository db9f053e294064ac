package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.keyed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
import dev.conveyor.testing.Jobs;
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

    @Inject
    StoreSupport s;

    final String queue = Jobs.uniqueQueue("lease");

    private JobId enqueue(NewJob job) {
        return s.enqueue(job).id();
    }

    private ClaimedJob claimOne(Duration lease) {
        List<ClaimedJob> jobs = s.claim(queue, 1, lease, "test:" + UUID.randomUUID()).jobs();
        assertThat(jobs).hasSize(1);
        return jobs.get(0);
    }

    @Test
    void aStaleTokenCannotExtendCompleteOrFailAJob() {
        JobId id = enqueue(StoreSupport.job(queue, 5, 3, null));
        ClaimedJob claimed = claimOne(Duration.ofMinutes(1));
        ClaimedJob stale = StoreSupport.withToken(claimed, "someone-else:1");

        LeaseReport report = s.extend(queue, List.of(stale), Duration.ofMinutes(1));
        assertThat(report.lost()).containsExactly(id);
        assertThat(s.complete(stale, "1")).isFalse();
        assertThat(s.fail(stale, "boom", null)).isEmpty();
        assertThat(s.release(stale)).isEmpty();
        assertThat(s.find(id).status()).isEqualTo(JobStatus.RUNNING);

        assertThat(s.complete(claimed, "2")).isTrue();
        assertThat(s.complete(claimed, "3")).as("second completion").isFalse();
        assertThat(s.find(id).result()).isEqualTo("2");
    }

    @Test
    void anExpiredLeaseIsRecoveredOnceEvenWithConcurrentReapersAndTheOldHolderIsFenced() {
        List<JobId> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(enqueue(StoreSupport.job(queue, 5, 5, null)));
        }
        List<ClaimedJob> claimed = s.claim(queue, 20, Duration.ofMillis(1), "dead:1").jobs();
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
            Job job = s.find(id);
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(job.attempts()).as("the lost attempt counts").isEqualTo(1);
            assertThat(job.errorHistory()).contains("lease expired");
        }
        assertThat(s.complete(claimed.get(0), "{}")).as("old holder is fenced").isFalse();
        assertThat(s.claim(queue, 50, Duration.ofMinutes(1), "alive:1").jobs()).hasSize(20);
    }

    @Test
    void aJobThatKeepsLosingItsWorkerFailsAfterItsAttempts() {
        JobId id = enqueue(StoreSupport.job(queue, 5, 2, null));
        for (int attempt = 1; attempt <= 2; attempt++) {
            claimOne(Duration.ofMillis(1));
            Awaitility.await().atMost(WAIT).until(() -> !s.reap(queue).isEmpty());
        }
        Job job = s.find(id);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.error()).contains("lease expired");
    }

    @Test
    void cancellingARunningJobFlagsItAndItsFailureRecordsCancelled() {
        JobId id = enqueue(StoreSupport.job(queue, 5, 3, null));
        ClaimedJob claimed = claimOne(Duration.ofMinutes(1));

        assertThat(s.cancel(id)).isEqualTo(new CancelOutcome(CancelOutcome.Result.CANCEL_REQUESTED, JobStatus.RUNNING));
        assertThat(s.find(id).cancelRequested()).isTrue();
        LeaseReport report = s.extend(queue, List.of(claimed), Duration.ofMinutes(1));
        assertThat(report.cancelRequested()).containsExactly(id);

        assertThat(s.fail(claimed, "cancelled by request", Duration.ZERO))
                .as("cancellation wins over a retry").contains(JobStatus.CANCELLED);
        assertThat(s.cancel(id)).isEqualTo(new CancelOutcome(CancelOutcome.Result.CANCELLED, JobStatus.CANCELLED));

        assertThat(s.rerun(id)).isEqualTo(new RerunOutcome(RerunOutcome.Result.QUEUED, JobStatus.QUEUED));
        Job again = s.find(id);
        assertThat(again.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(again.attempts()).isZero();
        assertThat(again.cancelRequested()).isFalse();
    }

    @Test
    void aRunningJobCancelledBeforeItsHandlerSucceedsEndsCancelledWithItsResult() {
        ClaimedJob claimed = runningWithCancelRequested();

        assertThat(s.complete(claimed, "42")).isTrue();

        assertEndedCancelled(claimed.id());
        assertThat(s.find(claimed.id()).result()).as("the result the handler produced is kept").isEqualTo("42");
    }

    @Test
    void aRunningJobCancelledBeforeItsWorkerShutsDownEndsCancelledInsteadOfRunningAgain() {
        ClaimedJob claimed = runningWithCancelRequested();

        assertThat(s.release(claimed)).contains(JobStatus.CANCELLED);

        assertEndedCancelled(claimed.id());
    }

    /** A running job whose cancellation a client asked for (its worker did not stop it yet). */
    private ClaimedJob runningWithCancelRequested() {
        enqueue(StoreSupport.job(queue, 5, 3, null));
        ClaimedJob claimed = claimOne(Duration.ofMinutes(1));
        assertThat(s.cancel(claimed.id()).result()).isEqualTo(CancelOutcome.Result.CANCEL_REQUESTED);
        return claimed;
    }

    private void assertEndedCancelled(JobId id) {
        assertThat(s.find(id).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(s.counts(queue)).containsEntry(JobStatus.CANCELLED, 1L).containsEntry(JobStatus.RUNNING, 0L)
                .containsEntry(JobStatus.QUEUED, 0L).containsEntry(JobStatus.SUCCEEDED, 0L);
        assertThat(s.claim(queue, 1, "other:1").jobs()).as("nothing left to run").isEmpty();
    }

    @Test
    void waitingJobsAreCancelledAtOnceAndFinishedOnesAreNot() {
        JobId queued = enqueue(StoreSupport.job(queue, 5, 3, null));
        JobId scheduled = enqueue(new NewJob("echo", queue, 5, "{}", 3, Instant.now().plusSeconds(3600), null, null,
                null, null));
        assertThat(s.cancel(queued).result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(s.cancel(scheduled).result()).isEqualTo(CancelOutcome.Result.CANCELLED);
        assertThat(s.claim(queue, 10, Duration.ofMinutes(1), "t:1").jobs()).isEmpty();

        JobId done = enqueue(StoreSupport.job(queue, 5, 3, null));
        s.complete(claimOne(Duration.ofMinutes(1)), "{}");
        assertThat(s.cancel(done))
                .isEqualTo(new CancelOutcome(CancelOutcome.Result.NOT_CANCELLABLE, JobStatus.SUCCEEDED));
        assertThat(s.rerun(done)).isEqualTo(new RerunOutcome(RerunOutcome.Result.NOT_RERUNNABLE, JobStatus.SUCCEEDED));
        assertThat(s.cancel(JobId.newId(queue, 0)).result()).isEqualTo(CancelOutcome.Result.NO_SUCH_JOB);
    }

    @Test
    void aReleasedJobIsBackAtOnceWithoutCountingTheAttempt() {
        JobId id = enqueue(StoreSupport.job(queue, 5, 3, null));
        ClaimedJob claimed = claimOne(Duration.ofMinutes(1));
        assertThat(s.release(claimed)).contains(JobStatus.QUEUED);
        Job job = s.find(id);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(claimOne(Duration.ofMinutes(1)).attempt()).isEqualTo(1);
    }

    @Test
    void dueJobsArePromotedInDueTimeOrder() {
        // far enough ahead that the three enqueues and the first claim happen before any is due, even under load
        Instant base = Instant.now().plusMillis(1500);
        JobId third = enqueue(new NewJob("echo", queue, 5, "{}", 3, base.plusMillis(20), null, null, null, null));
        JobId first = enqueue(new NewJob("echo", queue, 5, "{}", 3, base, null, null, null, null));
        JobId second = enqueue(new NewJob("echo", queue, 5, "{}", 3, base.plusMillis(10), null, null, null, null));

        Claim early = s.claim(queue, 10, Duration.ofMinutes(1), "t:1");
        assertThat(early.jobs()).isEmpty();
        assertThat(early.nextDue()).isCloseTo(base, within(100, ChronoUnit.MILLIS));

        List<JobId> order = new ArrayList<>();
        Awaitility.await().atMost(WAIT).until(() -> {
            s.claim(queue, 10, Duration.ofMinutes(1), "t:2").jobs()
                    .forEach(j -> order.add(j.id()));
            return order.size() == 3;
        });
        assertThat(order).containsExactly(first, second, third);
    }

    @Test
    void anIdempotencyKeyAnswersTheSameJobForTheSameRequestAndConflictsOtherwise() {
        NewJob original = keyed(queue, "key-1", "hash-a");
        Enqueued first = s.enqueueOutcomes(List.of(original)).get(0);
        Enqueued again = s.enqueueOutcomes(List.of(original)).get(0);
        Enqueued other = s.enqueueOutcomes(List.of(keyed(queue, "key-1", "hash-b"))).get(0);

        assertThat(first.outcome()).isEqualTo(Enqueued.Outcome.CREATED);
        assertThat(again.outcome()).isEqualTo(Enqueued.Outcome.EXISTING);
        assertThat(again.job().id()).isEqualTo(first.job().id());
        assertThat(other.outcome()).isEqualTo(Enqueued.Outcome.CONFLICT);
        assertThat(other.job().id()).isEqualTo(first.job().id());
        assertThat(s.counts(queue).get(JobStatus.QUEUED)).isEqualTo(1);
    }

    @Test
    void enqueueEachGivesEveryJobTheOutcomeItWouldHaveHadAlone() {
        Job held = s.enqueueOutcomes(List.of(keyed(queue, "key-1", "hash-a"))).get(0).job();

        List<Enqueued> results = s.enqueueEach(List.of(
                keyed(queue, "key-1", "hash-b"),
                keyed(queue, null, null),
                keyed(queue, "key-1", "hash-a"),
                keyed(queue, "key-2", "hash-c"),
                keyed(queue, "key-2", "hash-c"),
                keyed(queue, "key-2", "hash-d")));

        assertThat(results).extracting(Enqueued::outcome).containsExactly(Enqueued.Outcome.CONFLICT,
                Enqueued.Outcome.CREATED, Enqueued.Outcome.EXISTING, Enqueued.Outcome.CREATED,
                Enqueued.Outcome.EXISTING, Enqueued.Outcome.CONFLICT);
        assertThat(results.get(0).job().id()).isEqualTo(held.id());
        assertThat(results.get(2).job().id()).isEqualTo(held.id());
        JobId second = results.get(3).job().id();
        assertThat(results.get(4).job().id()).isEqualTo(second);
        assertThat(results.get(5).job().id()).isEqualTo(second);
        assertThat(s.counts(queue).get(JobStatus.QUEUED)).isEqualTo(3);
    }

    @Test
    void aBatchWithOneConflictEnqueuesNothing() {
        Job held = s.enqueueOutcomes(List.of(keyed(queue, "key-1", "hash-a"))).get(0).job();

        List<Enqueued> results = s.enqueueOutcomes(List.of(keyed(queue, null, null), keyed(queue, "key-1", "hash-b"),
                keyed(queue, "key-2", "hash-c"), keyed(queue, "key-2", "hash-d")));

        assertThat(results).extracting(Enqueued::outcome).containsExactly(Enqueued.Outcome.NOT_ENQUEUED,
                Enqueued.Outcome.CONFLICT, Enqueued.Outcome.NOT_ENQUEUED, Enqueued.Outcome.CONFLICT);
        assertThat(results.get(1).job().id()).isEqualTo(held.id());
        assertThat(results.get(3).job()).as("two jobs of the batch share the key").isNull();
        assertThat(s.counts(queue).get(JobStatus.QUEUED)).isEqualTo(1);
    }
}
