package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static dev.conveyor.queue.StoreSupport.withToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Edge cases of the claim, complete and fail scripts: lease fencing by token, double completion, retries and
 * scheduled jobs falling due. Driven through {@link JobStore} by hand; the worker stays off these queues.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class LuaScriptsTest {

    @Inject
    StoreSupport s;

    @Inject
    KeySpace keys;

    @Inject
    RedisDataSource redis;

    final String queue = Jobs.uniqueQueue("lua");

    // --- complete ------------------------------------------------------------------------------------------------

    @Test
    void completeRecordsTheResult() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "t1");

        assertThat(s.complete(claimed, "{\"ok\":true}")).isTrue();

        Job done = s.find(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.result()).isEqualTo("{\"ok\":true}");
        assertThat(done.attempts()).isEqualTo(1);
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.finishedAt()).isAfterOrEqualTo(done.startedAt());
        assertThat(s.counts(queue).get(JobStatus.RUNNING)).isEqualTo(0L);
        assertThat(s.counts(queue).get(JobStatus.SUCCEEDED)).isEqualTo(1L);
    }

    @Test
    void completeWithAWrongTokenIsRefusedAndChangesNothing() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "right-token");
        Job before = s.find(job.id());

        assertThat(s.complete(withToken(claimed, "wrong-token"), "{\"forged\":true}")).isFalse();
        assertThat(s.fail(withToken(claimed, "wrong-token"), "forged", null)).isEmpty();
        assertThat(s.fail(withToken(claimed, ""), "forged", Duration.ZERO)).isEmpty();

        assertThat(s.find(job.id())).isEqualTo(before);
        assertThat(s.find(job.id()).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(s.counts(queue).get(JobStatus.RUNNING)).isEqualTo(1L);

        // the lease holder still can
        assertThat(s.complete(claimed, "{\"real\":true}")).isTrue();
        assertThat(s.find(job.id()).result()).isEqualTo("{\"real\":true}");
    }

    @Test
    void aSecondCompletionIsRefusedAndKeepsTheFirstResult() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "t1");

        assertThat(s.complete(claimed, "{\"n\":1}")).isTrue();
        Job first = s.find(job.id());

        assertThat(s.complete(claimed, "{\"n\":2}")).isFalse();
        assertThat(s.fail(claimed, "too late", null)).isEmpty();

        Job after = s.find(job.id());
        assertThat(after).isEqualTo(first);
        assertThat(after.result()).isEqualTo("{\"n\":1}");
        assertThat(after.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(after.error()).isNull();
        assertThat(s.counts(queue).get(JobStatus.SUCCEEDED)).isEqualTo(1L);
    }

    @Test
    void theTokenOfAnEarlierAttemptIsStale() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob attempt1 = s.claimOne(queue, job.id(), "attempt-1");
        assertThat(s.fail(attempt1, "boom", Duration.ZERO)).contains(JobStatus.RETRYING);
        ClaimedJob attempt2 = s.claimOne(queue, job.id(), "attempt-2");
        assertThat(attempt2.attempt()).isEqualTo(2);
        Job before = s.find(job.id());

        assertThat(s.complete(attempt1, "{\"stale\":true}")).isFalse();
        assertThat(s.fail(attempt1, "stale failure", null)).isEmpty();
        assertThat(s.find(job.id())).isEqualTo(before);

        assertThat(s.complete(attempt2, "{\"fresh\":true}")).isTrue();
        Job done = s.find(job.id());
        assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(done.attempts()).isEqualTo(2);
        assertThat(done.result()).isEqualTo("{\"fresh\":true}");
    }

    // --- fail and retry --------------------------------------------------------------------------------------------

    @Test
    void failWithARetryDelayMakesTheJobRetryingUntilItFallsDue() {
        Job job = s.enqueue(echo(queue, 4));
        ClaimedJob attempt1 = s.claimOne(queue, job.id(), "attempt-1");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);

        assertThat(s.fail(attempt1, "first attempt broke", Duration.ofMillis(600))).contains(JobStatus.RETRYING);

        Job retrying = s.find(job.id());
        Instant retryAt = retrying.runAt();
        assertThat(retryAt).isBetween(before.plusMillis(600), Instant.now().plusMillis(600));
        assertThat(retrying.status()).isEqualTo(JobStatus.RETRYING);
        assertThat(retrying.error()).isEqualTo("first attempt broke");
        assertThat(retrying.attempts()).isEqualTo(1);
        assertThat(retrying.finishedAt()).isNull();
        assertThat(s.counts(queue).get(JobStatus.RETRYING)).isEqualTo(1L);
        assertThat(s.counts(queue).get(JobStatus.RUNNING)).isEqualTo(0L);

        // not yet due: nothing to claim, and the claim says when to look again
        Claim early = s.claim(queue, 10, "early");
        assertThat(early.jobs()).isEmpty();
        assertThat(early.nextDue()).isCloseTo(retryAt, within(100, ChronoUnit.MILLIS));
        assertThat(s.find(job.id()).status()).isEqualTo(JobStatus.RETRYING);

        ClaimedJob attempt2 = awaitClaim(Duration.ofSeconds(5));
        assertThat(attempt2.id()).isEqualTo(job.id());
        assertThat(attempt2.attempt()).isEqualTo(2);
        assertThat(attempt2.priority()).isEqualTo(4);
        Job running = s.find(job.id());
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.startedAt()).as("claimed at").isAfterOrEqualTo(retryAt);
        assertThat(attempt2.readyAt()).as("ready at").isAfterOrEqualTo(retryAt);
        assertThat(s.claim(queue, 10, "after").nextDue()).as("nothing waits any more").isNull();

        assertThat(s.complete(attempt2, "{}")).isTrue();
        assertThat(s.find(job.id()).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void failWithoutRetryAtFailsForGoodWhateverAttemptsAreLeft() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 10, null));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "t1");

        assertThat(s.fail(claimed, "bad input", null)).contains(JobStatus.FAILED);

        Job failed = s.find(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo("bad input");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.finishedAt()).isNotNull();
        assertThat(s.counts(queue).get(JobStatus.FAILED)).isEqualTo(1L);
        assertThat(s.counts(queue).get(JobStatus.RUNNING)).isEqualTo(0L);
        assertThat(s.counts(queue).get(JobStatus.RETRYING)).isEqualTo(0L);
        Claim claim = s.claim(queue, 10, "t2");
        assertThat(claim.jobs()).isEmpty();
        assertThat(claim.nextDue()).isNull();
    }

    @Test
    void theLastAttemptFailsForGoodEvenWithARetryTime() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 2, null));
        ClaimedJob attempt1 = s.claimOne(queue, job.id(), "a1");
        assertThat(s.fail(attempt1, "error 1", Duration.ZERO)).contains(JobStatus.RETRYING);
        ClaimedJob attempt2 = s.claimOne(queue, job.id(), "a2");

        assertThat(s.fail(attempt2, "error 2", Duration.ofMillis(10))).contains(JobStatus.FAILED);

        Job failed = s.find(job.id());
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.error()).isEqualTo("error 2");
        assertThat(failed.finishedAt()).isNotNull();
        Claim claim = s.claim(queue, 10, "a3");
        assertThat(claim.jobs()).isEmpty();
        assertThat(claim.nextDue()).isNull();
    }

    @Test
    void aPromotedRetryQueuesBehindJobsOfItsPriorityThatArrivedEarlier() {
        Job retried = s.enqueue(echo(queue, 5));
        ClaimedJob attempt1 = s.claimOne(queue, retried.id(), "a1");
        Job waiting = s.enqueue(echo(queue, 5));
        Job urgent = s.enqueue(echo(queue, 1));
        s.fail(attempt1, "again", Duration.ZERO);

        List<JobId> order = s.claim(queue, 10, "a2").jobs().stream().map(ClaimedJob::id).toList();
        assertThat(order).containsExactly(urgent.id(), waiting.id(), retried.id());
    }

    // --- scheduled jobs --------------------------------------------------------------------------------------------

    @Test
    void aScheduledJobIsClaimableOnlyFromItsRunAt() {
        Instant runAt = Instant.now().plusMillis(700).truncatedTo(ChronoUnit.MILLIS);
        Job job = s.enqueue(StoreSupport.job(queue, 5, 3, runAt));
        assertThat(job.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(s.find(job.id()).status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(s.find(job.id()).runAt()).isEqualTo(runAt);
        assertThat(s.counts(queue).get(JobStatus.SCHEDULED)).isEqualTo(1L);

        Claim early = s.claim(queue, 10, "early");
        assertThat(early.jobs()).isEmpty();
        assertThat(early.nextDue()).isCloseTo(runAt, within(100, ChronoUnit.MILLIS));

        ClaimedJob claimed = awaitClaim(Duration.ofSeconds(5));
        assertThat(claimed.id()).isEqualTo(job.id());
        assertThat(claimed.attempt()).isEqualTo(1);
        Job running = s.find(job.id());
        assertThat(running.startedAt()).as("claimed at").isAfterOrEqualTo(runAt);
        assertThat(s.counts(queue).get(JobStatus.SCHEDULED)).isEqualTo(0L);
    }

    @Test
    void aRunAtInThePastQueuesAtOnce() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 3, Instant.now().minusSeconds(60)));
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        s.claimOne(queue, job.id(), "t");
    }

    @Test
    void nextDueIsTheEarliestOfScheduledAndRetryingJobs() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        s.enqueue(StoreSupport.job(queue, 5, 3, now.plusSeconds(50)));
        s.enqueue(StoreSupport.job(queue, 5, 3, now.plusSeconds(40)));
        Job retried = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, retried.id(), "a1");
        assertThat(s.claim(queue, 10, "a2").nextDue()).isCloseTo(now.plusSeconds(40), within(1, ChronoUnit.SECONDS));

        s.fail(claimed, "later", Duration.ofSeconds(30));
        assertThat(s.claim(queue, 10, "a3").nextDue()).isCloseTo(now.plusSeconds(30), within(1, ChronoUnit.SECONDS));

        s.enqueue(StoreSupport.job(queue, 5, 3, now.plusSeconds(20)));
        assertThat(s.claim(queue, 10, "a4").nextDue()).isCloseTo(now.plusSeconds(20), within(1, ChronoUnit.SECONDS));
    }

    @Test
    void aDueScheduledJobIsClaimedTogetherWithQueuedOnesByPriority() {
        Instant soon = Instant.now().plusMillis(300);
        Job scheduled = s.enqueue(StoreSupport.job(queue, 1, 3, soon));
        Job queued = s.enqueue(echo(queue, 5));
        Awaitility.await("the scheduled job's runAt").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !Instant.now().isBefore(soon));

        List<JobId> order = s.claim(queue, 10, "t").jobs().stream().map(ClaimedJob::id).toList();
        assertThat(order).containsExactly(scheduled.id(), queued.id());
    }

    // --- leases ----------------------------------------------------------------------------------------------------

    /** A worker that dies holding a job never records its outcome: once its lease expires, a later claim offers it. */
    @Test
    void aJobWhoseLeaseExpiredIsClaimableAgain() {
        Job job = s.enqueue(echo(queue, 5));
        Claim first = s.claim(queue, 1, Duration.ofMillis(200), "crashed-worker");
        assertThat(first.jobs().size()).isEqualTo(1);
        ClaimedJob lost = first.jobs().get(0);

        // what every worker's reaper does periodically (this profile's worker does not serve this queue)
        Awaitility.await("the expired lease to be recovered").atMost(Duration.ofSeconds(5))
                .until(() -> !s.reap(queue).isEmpty());
        ClaimedJob recovered = awaitClaim(Duration.ofSeconds(5));

        assertThat(recovered.id()).isEqualTo(job.id());
        assertThat(recovered.attempt()).isEqualTo(2);
        assertThat(s.complete(lost, "{\"late\":true}")).as("the expired lease must not record an outcome").isFalse();
        assertThat(s.complete(recovered, "{}")).isTrue();
    }

    /** Claims until the queue hands out one job (a claim before its time must return nothing). */
    private ClaimedJob awaitClaim(Duration max) {
        AtomicReference<ClaimedJob> claimed = new AtomicReference<>();
        int[] calls = { 0 };
        Awaitility.await("a claim of " + queue + " to return a job")
                .atMost(max)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    List<ClaimedJob> jobs = s.claim(queue, 10, "poll-" + ++calls[0]).jobs();
                    assertThat(jobs.size() <= 1).as(jobs.toString()).isTrue();
                    if (jobs.isEmpty()) {
                        return false;
                    }
                    claimed.set(jobs.get(0));
                    return true;
                });
        return claimed.get();
    }
}
