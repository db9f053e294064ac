package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.job.Unique;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Where each scope of a unique key ends, driven through the store's scripts by hand: the key is held (an enqueue with
 * it answers the holder) until the job leaves its scope, then free (the next enqueue creates a job).
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class UniqueScriptsTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Inject
    StoreSupport s;

    @Inject
    JobStore store;

    @Inject
    KeySpace keys;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("uniq");
    final String key = "key-" + UUID.randomUUID();

    private NewJob unique(Unique.Scope scope, Duration ttl) {
        return new NewJob("echo", queue, 5, "{}", 2, null, null, null, null, null, null, null,
                new Unique(key, scope, ttl));
    }

    private Enqueued enqueue(Unique.Scope scope) {
        return s.enqueueEach(List.of(unique(scope, HOUR))).get(0);
    }

    /** The key is held by {@code holder}: another enqueue answers it and creates nothing. */
    private void assertHeldBy(Job holder, Unique.Scope scope) {
        Enqueued again = enqueue(scope);
        assertThat(again.outcome()).isEqualTo(Enqueued.Outcome.UNIQUE_HELD);
        assertThat(again.job().id()).isEqualTo(holder.id());
    }

    /** The key is free: an enqueue creates a new job (which then holds it). */
    private Job assertFree(Unique.Scope scope) {
        Enqueued again = enqueue(scope);
        assertThat(again.outcome()).isEqualTo(Enqueued.Outcome.CREATED);
        return again.job();
    }

    private Job created(Unique.Scope scope) {
        Enqueued first = enqueue(scope);
        assertThat(first.outcome()).isEqualTo(Enqueued.Outcome.CREATED);
        return first.job();
    }

    private ClaimedJob claim(Job job) {
        return s.claimOne(queue, job.id(), "t:" + UUID.randomUUID());
    }

    @Test
    void theJobRecordsItsKeyScopeAndTtl() {
        Job job = created(Unique.Scope.UNTIL_DONE);

        assertThat(s.find(job.id()).unique()).isEqualTo(new Unique(key, Unique.Scope.UNTIL_DONE, HOUR));
        assertThat(redis.value(String.class).get(keys.queue(queue).uniquePrefix() + key)).isEqualTo(job.id().ulid());
        assertThat(redis.key().pttl(keys.queue(queue).uniquePrefix() + key))
                .isBetween(HOUR.toMillis() - 10_000, HOUR.toMillis());
    }

    @Test
    void queuedScopeEndsWhenTheJobStarts() {
        Job job = created(Unique.Scope.QUEUED);
        assertHeldBy(job, Unique.Scope.QUEUED);

        claim(job);

        Job next = assertFree(Unique.Scope.QUEUED);
        assertHeldBy(next, Unique.Scope.QUEUED);
    }

    @Test
    void activeScopeHoldsWhileRetryingAndEndsWhenTheJobSucceeds() {
        Job job = created(Unique.Scope.ACTIVE);
        ClaimedJob claimed = claim(job);
        assertHeldBy(job, Unique.Scope.ACTIVE);

        assertThat(s.fail(claimed, "boom", Duration.ZERO)).contains(JobStatus.RETRYING);
        assertHeldBy(job, Unique.Scope.ACTIVE);
        ClaimedJob again = claim(job);
        assertHeldBy(job, Unique.Scope.ACTIVE);

        assertThat(s.complete(again, "{}")).isTrue();
        assertFree(Unique.Scope.ACTIVE);
    }

    @Test
    void activeScopeEndsWhenTheJobFailsForGood() {
        Job job = created(Unique.Scope.ACTIVE);
        assertThat(s.fail(claim(job), "boom", null)).contains(JobStatus.FAILED);

        assertFree(Unique.Scope.ACTIVE);
    }

    @Test
    void activeScopeEndsWhenAWaitingJobIsCancelled() {
        Job job = created(Unique.Scope.ACTIVE);
        assertThat(s.cancel(job.id()).result()).isEqualTo(CancelOutcome.Result.CANCELLED);

        assertFree(Unique.Scope.ACTIVE);
    }

    @Test
    void activeScopeEndsWhenARunningJobIsCancelledAndHandedBack() {
        Job job = created(Unique.Scope.ACTIVE);
        ClaimedJob claimed = claim(job);
        assertThat(s.cancel(job.id()).result()).isEqualTo(CancelOutcome.Result.CANCEL_REQUESTED);
        assertHeldBy(job, Unique.Scope.ACTIVE);

        assertThat(s.release(claimed)).contains(JobStatus.CANCELLED);
        assertFree(Unique.Scope.ACTIVE);
    }

    @Test
    void activeScopeEndsWhenTheReaperFailsAJobWhoseWorkerDied() {
        NewJob once = new NewJob("echo", queue, 5, "{}", 1, null, null, null, null, null, null, null,
                new Unique(key, Unique.Scope.ACTIVE, HOUR));
        Job job = s.enqueue(once);
        s.claimOne(queue, job.id(), Duration.ofMillis(1), "t:" + UUID.randomUUID());

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            s.reap(queue);
            return s.find(job.id()).status() == JobStatus.FAILED;
        });
        assertFree(Unique.Scope.ACTIVE);
    }

    @Test
    void untilDoneScopeOutlivesAFailureButEndsWithASuccess() {
        Job job = created(Unique.Scope.UNTIL_DONE);
        assertThat(s.fail(claim(job), "boom", null)).contains(JobStatus.FAILED);
        assertHeldBy(job, Unique.Scope.UNTIL_DONE);

        // a re-run by hand keeps the key and runs again; its success frees it
        assertThat(s.rerun(job.id()).result()).isEqualTo(RerunOutcome.Result.QUEUED);
        assertHeldBy(job, Unique.Scope.UNTIL_DONE);
        assertThat(s.complete(claim(job), "{}")).isTrue();

        assertFree(Unique.Scope.UNTIL_DONE);
    }

    @Test
    void untilDoneScopeOutlivesACancellation() {
        Job job = created(Unique.Scope.UNTIL_DONE);
        s.cancel(job.id());

        assertHeldBy(job, Unique.Scope.UNTIL_DONE);
    }

    @Test
    void aReRunTakesAFreedKeyAgain() {
        Job job = created(Unique.Scope.ACTIVE);
        assertThat(s.fail(claim(job), "boom", null)).contains(JobStatus.FAILED);
        assertThat(s.rerun(job.id()).result()).isEqualTo(RerunOutcome.Result.QUEUED);

        assertHeldBy(job, Unique.Scope.ACTIVE);
    }

    @Test
    void theTtlBoundsEveryScope() {
        Enqueued first = s.enqueueEach(List.of(unique(Unique.Scope.UNTIL_DONE, Duration.ofMillis(300)))).get(0);
        assertThat(first.outcome()).isEqualTo(Enqueued.Outcome.CREATED);
        assertHeldBy(first.job(), Unique.Scope.UNTIL_DONE);

        Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> s.enqueueEach(List.of(unique(Unique.Scope.UNTIL_DONE, HOUR))).get(0).outcome()
                        == Enqueued.Outcome.CREATED);
    }

    @Test
    void aKeyWhoseJobIsGoneIsTakenOver() {
        Job job = created(Unique.Scope.ACTIVE);
        redis.key().del(keys.queue(queue).job(job.id().ulid()));

        assertFree(Unique.Scope.ACTIVE);
    }

    @Test
    void aBatchCreatesOneJobPerKeyAndAnswersItForTheOthers() {
        NewJob plain = new NewJob("echo", queue, 5, "{}", 3, null, null, null, null, null);
        List<Enqueued> results = s.enqueueOutcomes(List.of(unique(Unique.Scope.ACTIVE, HOUR), plain,
                unique(Unique.Scope.ACTIVE, HOUR)));

        assertThat(results).extracting(Enqueued::outcome).containsExactly(Enqueued.Outcome.CREATED,
                Enqueued.Outcome.CREATED, Enqueued.Outcome.UNIQUE_HELD);
        assertThat(results.get(2).job().id()).isEqualTo(results.get(0).job().id());
        assertThat(s.counts(queue).get(JobStatus.QUEUED)).isEqualTo(2);
    }

    @Test
    void deletingTheQueueDeletesItsKeys() {
        Job job = created(Unique.Scope.UNTIL_DONE);
        s.cancel(job.id());
        assertThat(redis.key().exists(keys.queue(queue).uniquePrefix() + key)).isTrue();

        assertThat(store.deleteQueue(queue).await().atMost(StoreSupport.CALL)).isTrue();

        assertThat(redis.key().exists(keys.queue(queue).uniquePrefix() + key)).isFalse();
        assertThat(redis.key().exists(keys.queue(queue).uniqueKeys())).isFalse();
    }
}
