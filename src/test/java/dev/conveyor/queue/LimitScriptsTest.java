package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * A queue's rate and concurrency limits in the claim script, against a real Redis: tokens, the burst, the wait a
 * held-back claim answers, slots counted from the active set, and the wake-up when a slot frees.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class LimitScriptsTest {

    private static final Duration CALL = StoreSupport.CALL;

    @Inject
    StoreSupport s;

    @Inject
    JobStore store;

    @Inject
    QueueInspector inspector;

    @Inject
    KeySpace keys;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("limits");

    private void limit(QueueLimits.Rate rate, Integer concurrency) {
        store.setLimits(queue, new QueueLimits(rate, concurrency)).await().atMost(CALL);
    }

    private static QueueLimits.Rate rate(int count, QueueLimits.Unit unit, int burst) {
        return new QueueLimits.Rate(count, unit, burst);
    }

    private void enqueue(int n) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            jobs.add(echo(queue, 5));
        }
        s.enqueueAll(jobs);
    }

    private long markers() {
        return redis.execute("ZCARD", keys.queue(queue).marker()).toLong();
    }

    private void clearMarker() {
        redis.execute("DEL", keys.queue(queue).marker());
    }

    @Test
    void theBurstPassesThenTheClaimAnswersTheWaitForTheNextToken() {
        enqueue(6);
        limit(rate(10, QueueLimits.Unit.HOUR, 3), null);

        Claim first = s.claim(queue, 10, "w1");
        assertThat(first.jobs()).as("the burst").hasSize(3);
        // one token comes every 3600 s / 10 = 360 s
        assertThat(first.held().rateWait()).isBetween(Duration.ofSeconds(355), Duration.ofSeconds(360));
        assertThat(first.held().slotsFull()).isFalse();

        Claim second = s.claim(queue, 10, "w2");
        assertThat(second.jobs()).isEmpty();
        assertThat(second.held().rateWait()).isBetween(Duration.ofSeconds(355), first.held().rateWait());
        assertThat(s.counts(queue).get(JobStatus.QUEUED)).as("jobs over the limit stay queued").isEqualTo(3L);
    }

    @Test
    void aClaimTakesOnlyAsManyTokensAsItClaimsJobs() {
        enqueue(2);
        limit(rate(10, QueueLimits.Unit.HOUR, 5), null);

        Claim claim = s.claim(queue, 10, "w1");
        assertThat(claim.jobs()).hasSize(2);
        assertThat(claim.held()).as("nothing waits: nothing held back").isEqualTo(LimitHold.NONE);

        enqueue(5);
        assertThat(s.claim(queue, 10, "w2").jobs()).as("the 3 tokens left of the burst").hasSize(3);
    }

    @Test
    void aHeldBackClaimPassesOnceItsWaitIsOverAndNotBefore() {
        enqueue(5);
        limit(rate(5, QueueLimits.Unit.SECOND, 1), null);
        assertThat(s.claim(queue, 10, "w1").jobs()).hasSize(1);

        long heldAt = System.nanoTime();
        Duration wait = s.claim(queue, 10, "w2").held().rateWait();
        assertThat(wait).as("a token every 200 ms").isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));

        AtomicLong passedAt = new AtomicLong();
        Awaitility.await("the next token").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> {
                    boolean passed = !s.claim(queue, 10, "poll").jobs().isEmpty();
                    passedAt.set(System.nanoTime());
                    return passed;
                });
        Duration waited = Duration.ofNanos(passedAt.get() - heldAt);
        // Redis' clock counts whole ms: the claim may pass up to 1 ms before the wait as this process measures it
        assertThat(waited).isBetween(wait.minusMillis(2), wait.plusMillis(500));
    }

    @Test
    void concurrencyCountsTheQueuesRunningJobsAndAnEndingJobWakesAWorker() {
        enqueue(5);
        limit(null, 2);

        Claim first = s.claim(queue, 10, "w1");
        assertThat(first.jobs()).hasSize(2);
        assertThat(first.held()).isEqualTo(new LimitHold(null, true));
        Claim second = s.claim(queue, 10, "w2");
        assertThat(second.jobs()).as("another worker: both slots taken").isEmpty();
        assertThat(second.held().slotsFull()).isTrue();

        clearMarker();
        assertThat(s.complete(first.jobs().get(0), "{}")).isTrue();
        assertThat(markers()).as("a success frees a slot and wakes an idle worker").isEqualTo(1);
        clearMarker();
        assertThat(s.fail(first.jobs().get(1), "boom", null)).contains(JobStatus.FAILED);
        assertThat(markers()).as("so does a failure for good").isEqualTo(1);

        Claim third = s.claim(queue, 10, "w3");
        assertThat(third.jobs()).hasSize(2);
        assertThat(third.held().slotsFull()).isTrue();

        // a success recorded by the claim that takes the next job: the worker fills the slot itself
        Claim fourth = s.completeAndClaim(queue, 10, "w4", List.of(new Completion(third.jobs().get(0), "{}")));
        assertThat(fourth.jobs()).hasSize(1);
        assertThat(s.counts(queue).get(JobStatus.RUNNING)).isEqualTo(2L);
    }

    @Test
    void aRecoveredJobThatFailsForGoodAndACancelledHandBackFreeTheirSlotsToo() {
        s.enqueueAll(List.of(StoreSupport.job(queue, 5, 1, null), StoreSupport.job(queue, 5, 1, null),
                StoreSupport.job(queue, 5, 1, null)));
        limit(null, 2);
        List<ClaimedJob> claimed = s.claim(queue, 10, Duration.ofMillis(1), "dying").jobs();
        assertThat(claimed).hasSize(2);
        clearMarker();

        Awaitility.await("the reaper fails the jobs out of attempts").atMost(Duration.ofSeconds(5))
                .until(() -> {
                    s.reap(queue);
                    return s.counts(queue).get(JobStatus.FAILED) == 2;
                });
        assertThat(markers()).as("a recovery that failed jobs for good").isEqualTo(1);

        ClaimedJob last = s.claim(queue, 10, "w2").jobs().get(0);
        enqueue(1);
        s.cancel(last.id());
        clearMarker();
        assertThat(s.release(last)).contains(JobStatus.CANCELLED);
        assertThat(markers()).as("a hand-back that ends the job cancelled").isEqualTo(1);
    }

    @Test
    void aQueueWithoutLimitsIsNotWokenByAnEndingJob() {
        enqueue(3);
        ClaimedJob job = s.claim(queue, 1, "w1").jobs().get(0);
        clearMarker();

        assertThat(s.complete(job, "{}")).isTrue();

        assertThat(markers()).isZero();
    }

    @Test
    void aSlotFreedWhileNoJobWaitsWakesNobody() {
        enqueue(1);
        limit(null, 1);
        ClaimedJob job = s.claim(queue, 10, "w1").jobs().get(0);
        clearMarker();

        assertThat(s.complete(job, "{}")).isTrue();

        assertThat(markers()).isZero();
    }

    @Test
    void bothLimitsHoldAndTheClaimSaysWhich() {
        enqueue(6);
        limit(rate(100, QueueLimits.Unit.HOUR, 3), 2);

        Claim claim = s.claim(queue, 10, "w1");
        assertThat(claim.jobs()).as("the concurrency is the tighter").hasSize(2);
        assertThat(claim.held().slotsFull()).isTrue();
        assertThat(claim.held().rateWait()).as("one token of the burst is left").isNull();

        s.complete(claim.jobs().get(0), "{}");
        s.complete(claim.jobs().get(1), "{}");
        Claim next = s.claim(queue, 10, "w2");
        assertThat(next.jobs()).as("the last token").hasSize(1);
        assertThat(next.held().slotsFull()).isFalse();
        assertThat(next.held().rateWait()).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(36));
    }

    @Test
    void aNewRateStartsWithAWholeBurstAndTheSameRateKeepsItsState() {
        enqueue(10);
        limit(rate(10, QueueLimits.Unit.HOUR, 2), null);
        assertThat(s.claim(queue, 10, "w1").jobs()).hasSize(2);

        limit(rate(10, QueueLimits.Unit.HOUR, 2), 5);
        assertThat(s.claim(queue, 10, "w2").jobs()).as("same rate: no new burst").isEmpty();

        limit(rate(20, QueueLimits.Unit.HOUR, 3), null);
        assertThat(s.claim(queue, 10, "w3").jobs()).as("a new rate's burst").hasSize(3);

        store.removeLimits(queue).await().atMost(CALL);
        assertThat(s.claim(queue, 10, "w4").jobs()).as("no limits").hasSize(5);
        assertThat(inspector.limits(List.of(queue)).await().atMost(CALL)).isEmpty();
    }

    @Test
    void theLimitsAreReadBackAsSet() {
        limit(rate(100, QueueLimits.Unit.MINUTE, 4), 7);

        assertThat(inspector.limits(List.of(queue, queue + "-none")).await().atMost(CALL))
                .containsOnlyKeys(queue)
                .containsEntry(queue, new QueueLimits(rate(100, QueueLimits.Unit.MINUTE, 4), 7));
    }

    @Test
    void deletingTheQueueDeletesItsLimitsAndTheirState() {
        enqueue(1);
        limit(rate(10, QueueLimits.Unit.HOUR, 1), 3);
        s.complete(s.claim(queue, 10, "w1").jobs().get(0), "{}");
        QueueKeys k = keys.queue(queue);
        assertThat(redis.execute("EXISTS", k.limits(), k.limiter()).toLong()).isEqualTo(2);

        assertThat(store.deleteQueue(queue).await().atMost(CALL)).isTrue();

        assertThat(redis.execute("EXISTS", k.limits(), k.limiter()).toLong()).isZero();
    }

    @Test
    void theDefaultBurstIsATenthOfASecondsWorthAndAtLeastOne() {
        assertThat(QueueLimits.Rate.defaultBurst(50, QueueLimits.Unit.SECOND)).isEqualTo(5);
        assertThat(QueueLimits.Rate.defaultBurst(100, QueueLimits.Unit.MINUTE)).isEqualTo(1);
        assertThat(QueueLimits.Rate.defaultBurst(1_000_000, QueueLimits.Unit.SECOND)).isEqualTo(100_000);
        assertThat(QueueLimits.Rate.defaultBurst(3, QueueLimits.Unit.SECOND)).isEqualTo(1);
    }
}
