package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static dev.conveyor.queue.StoreSupport.withToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
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
    JobStore store;

    StoreSupport s;
    String queue;

    @BeforeEach
    void setUp() {
        s = new StoreSupport(store);
        queue = Jobs.uniqueQueue("lua");
    }

    // --- complete ------------------------------------------------------------------------------------------------

    @Test
    void completeRecordsTheResult() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "t1");

        assertTrue(s.complete(claimed, "{\"ok\":true}"));

        Job done = s.find(job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals("{\"ok\":true}", done.result());
        assertEquals(1, done.attempts());
        assertNotNull(done.finishedAt());
        assertFalse(done.finishedAt().isBefore(done.startedAt()));
        assertEquals(0L, s.counts(queue).get(JobStatus.RUNNING));
        assertEquals(1L, s.counts(queue).get(JobStatus.SUCCEEDED));
    }

    @Test
    void completeWithAWrongTokenIsRefusedAndChangesNothing() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "right-token");
        Job before = s.find(job.id());

        assertFalse(s.complete(withToken(claimed, "wrong-token"), "{\"forged\":true}"));
        assertEquals(Optional.empty(), s.fail(withToken(claimed, "wrong-token"), "forged", null));
        assertEquals(Optional.empty(), s.fail(withToken(claimed, ""), "forged", Instant.now()));

        assertEquals(before, s.find(job.id()));
        assertEquals(JobStatus.RUNNING, s.find(job.id()).status());
        assertEquals(1L, s.counts(queue).get(JobStatus.RUNNING));

        // the lease holder still can
        assertTrue(s.complete(claimed, "{\"real\":true}"));
        assertEquals("{\"real\":true}", s.find(job.id()).result());
    }

    @Test
    void aSecondCompletionIsRefusedAndKeepsTheFirstResult() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "t1");

        assertTrue(s.complete(claimed, "{\"n\":1}"));
        Job first = s.find(job.id());

        assertFalse(s.complete(claimed, "{\"n\":2}"));
        assertEquals(Optional.empty(), s.fail(claimed, "too late", null));

        Job after = s.find(job.id());
        assertEquals(first, after);
        assertEquals("{\"n\":1}", after.result());
        assertEquals(JobStatus.SUCCEEDED, after.status());
        assertNull(after.error());
        assertEquals(1L, s.counts(queue).get(JobStatus.SUCCEEDED));
    }

    @Test
    void theTokenOfAnEarlierAttemptIsStale() {
        Job job = s.enqueue(echo(queue, 5));
        ClaimedJob attempt1 = s.claimOne(queue, job.id(), "attempt-1");
        assertEquals(Optional.of(JobStatus.RETRYING), s.fail(attempt1, "boom", Instant.now().minusMillis(1)));
        ClaimedJob attempt2 = s.claimOne(queue, job.id(), "attempt-2");
        assertEquals(2, attempt2.attempt());
        Job before = s.find(job.id());

        assertFalse(s.complete(attempt1, "{\"stale\":true}"));
        assertEquals(Optional.empty(), s.fail(attempt1, "stale failure", null));
        assertEquals(before, s.find(job.id()));

        assertTrue(s.complete(attempt2, "{\"fresh\":true}"));
        Job done = s.find(job.id());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(2, done.attempts());
        assertEquals("{\"fresh\":true}", done.result());
    }

    // --- fail and retry --------------------------------------------------------------------------------------------

    @Test
    void failWithRetryAtMakesTheJobRetryingUntilItFallsDue() {
        Job job = s.enqueue(echo(queue, 4));
        ClaimedJob attempt1 = s.claimOne(queue, job.id(), "attempt-1");
        Instant retryAt = Instant.now().plusMillis(600).truncatedTo(ChronoUnit.MILLIS);

        assertEquals(Optional.of(JobStatus.RETRYING), s.fail(attempt1, "first attempt broke", retryAt));

        Job retrying = s.find(job.id());
        assertEquals(JobStatus.RETRYING, retrying.status());
        assertEquals("first attempt broke", retrying.error());
        assertEquals(retryAt, retrying.runAt());
        assertEquals(1, retrying.attempts());
        assertNull(retrying.finishedAt());
        assertEquals(1L, s.counts(queue).get(JobStatus.RETRYING));
        assertEquals(0L, s.counts(queue).get(JobStatus.RUNNING));

        // not yet due: nothing to claim, and the claim says when to look again
        Claim early = s.claim(queue, 10, "early");
        assertEquals(List.of(), early.jobs());
        assertEquals(retryAt, early.nextDue());
        assertEquals(JobStatus.RETRYING, s.find(job.id()).status());

        ClaimedJob attempt2 = awaitClaim(Duration.ofSeconds(5));
        assertEquals(job.id(), attempt2.id());
        assertEquals(2, attempt2.attempt());
        assertEquals(4, attempt2.priority());
        Job running = s.find(job.id());
        assertEquals(JobStatus.RUNNING, running.status());
        assertFalse(running.startedAt().isBefore(retryAt),
                "claimed at " + running.startedAt() + ", before its retry time " + retryAt);
        assertTrue(attempt2.readyAt().compareTo(retryAt) >= 0, "ready at " + attempt2.readyAt());
        assertNull(s.claim(queue, 10, "after").nextDue(), "nothing waits any more");

        assertTrue(s.complete(attempt2, "{}"));
        assertEquals(JobStatus.SUCCEEDED, s.find(job.id()).status());
    }

    @Test
    void failWithoutRetryAtFailsForGoodWhateverAttemptsAreLeft() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 10, null));
        ClaimedJob claimed = s.claimOne(queue, job.id(), "t1");

        assertEquals(Optional.of(JobStatus.FAILED), s.fail(claimed, "bad input", null));

        Job failed = s.find(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals("bad input", failed.error());
        assertEquals(1, failed.attempts());
        assertNotNull(failed.finishedAt());
        assertEquals(1L, s.counts(queue).get(JobStatus.FAILED));
        assertEquals(0L, s.counts(queue).get(JobStatus.RUNNING));
        assertEquals(0L, s.counts(queue).get(JobStatus.RETRYING));
        Claim claim = s.claim(queue, 10, "t2");
        assertEquals(List.of(), claim.jobs());
        assertNull(claim.nextDue());
    }

    @Test
    void theLastAttemptFailsForGoodEvenWithARetryTime() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 2, null));
        ClaimedJob attempt1 = s.claimOne(queue, job.id(), "a1");
        assertEquals(Optional.of(JobStatus.RETRYING), s.fail(attempt1, "error 1", Instant.now()));
        ClaimedJob attempt2 = s.claimOne(queue, job.id(), "a2");

        assertEquals(Optional.of(JobStatus.FAILED), s.fail(attempt2, "error 2", Instant.now().plusMillis(10)));

        Job failed = s.find(job.id());
        assertEquals(JobStatus.FAILED, failed.status());
        assertEquals(2, failed.attempts());
        assertEquals("error 2", failed.error());
        assertNotNull(failed.finishedAt());
        Claim claim = s.claim(queue, 10, "a3");
        assertEquals(List.of(), claim.jobs());
        assertNull(claim.nextDue());
    }

    @Test
    void aPromotedRetryQueuesBehindJobsOfItsPriorityThatArrivedEarlier() {
        Job retried = s.enqueue(echo(queue, 5));
        ClaimedJob attempt1 = s.claimOne(queue, retried.id(), "a1");
        Job waiting = s.enqueue(echo(queue, 5));
        Job urgent = s.enqueue(echo(queue, 1));
        s.fail(attempt1, "again", Instant.now().minusMillis(1));

        List<?> order = s.claim(queue, 10, "a2").jobs().stream().map(ClaimedJob::id).toList();
        assertEquals(List.of(urgent.id(), waiting.id(), retried.id()), order);
    }

    // --- scheduled jobs --------------------------------------------------------------------------------------------

    @Test
    void aScheduledJobIsClaimableOnlyFromItsRunAt() {
        Instant runAt = Instant.now().plusMillis(700).truncatedTo(ChronoUnit.MILLIS);
        Job job = s.enqueue(StoreSupport.job(queue, 5, 3, runAt));
        assertEquals(JobStatus.SCHEDULED, job.status());
        assertEquals(JobStatus.SCHEDULED, s.find(job.id()).status());
        assertEquals(runAt, s.find(job.id()).runAt());
        assertEquals(1L, s.counts(queue).get(JobStatus.SCHEDULED));

        Claim early = s.claim(queue, 10, "early");
        assertEquals(List.of(), early.jobs());
        assertEquals(runAt, early.nextDue());

        ClaimedJob claimed = awaitClaim(Duration.ofSeconds(5));
        assertEquals(job.id(), claimed.id());
        assertEquals(1, claimed.attempt());
        Job running = s.find(job.id());
        assertFalse(running.startedAt().isBefore(runAt), "claimed at " + running.startedAt() + ", runAt " + runAt);
        assertEquals(0L, s.counts(queue).get(JobStatus.SCHEDULED));
    }

    @Test
    void aRunAtInThePastQueuesAtOnce() {
        Job job = s.enqueue(StoreSupport.job(queue, 5, 3, Instant.now().minusSeconds(60)));
        assertEquals(JobStatus.QUEUED, job.status());
        s.claimOne(queue, job.id(), "t");
    }

    @Test
    void nextDueIsTheEarliestOfScheduledAndRetryingJobs() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        s.enqueue(StoreSupport.job(queue, 5, 3, now.plusSeconds(50)));
        s.enqueue(StoreSupport.job(queue, 5, 3, now.plusSeconds(40)));
        Job retried = s.enqueue(echo(queue, 5));
        ClaimedJob claimed = s.claimOne(queue, retried.id(), "a1");
        assertEquals(now.plusSeconds(40), s.claim(queue, 10, "a2").nextDue());

        s.fail(claimed, "later", now.plusSeconds(30));
        assertEquals(now.plusSeconds(30), s.claim(queue, 10, "a3").nextDue());

        s.enqueue(StoreSupport.job(queue, 5, 3, now.plusSeconds(20)));
        assertEquals(now.plusSeconds(20), s.claim(queue, 10, "a4").nextDue());
    }

    @Test
    void aDueScheduledJobIsClaimedTogetherWithQueuedOnesByPriority() {
        Instant soon = Instant.now().plusMillis(300);
        Job scheduled = s.enqueue(StoreSupport.job(queue, 1, 3, soon));
        Job queued = s.enqueue(echo(queue, 5));
        Awaitility.await("the scheduled job's runAt").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .until(() -> !Instant.now().isBefore(soon));

        List<?> order = s.claim(queue, 10, "t").jobs().stream().map(ClaimedJob::id).toList();
        assertEquals(List.of(scheduled.id(), queued.id()), order);
    }

    // --- leases ----------------------------------------------------------------------------------------------------

    /**
     * A worker that dies holding a job never records its outcome. ClaimedJob, JobRunner and claim.lua all say
     * that the job then "runs again" once its lease expires ("the job was recovered"): a later claim must offer it.
     * Fails as of 80fe4b8: no script ever looks at the active set's lease deadlines, so the job stays running forever.
     */
    @Test
    void aJobWhoseLeaseExpiredIsClaimableAgain() {
        Job job = s.enqueue(echo(queue, 5));
        Claim first = s.claim(queue, 1, Duration.ofMillis(200), "crashed-worker");
        assertEquals(1, first.jobs().size());
        ClaimedJob lost = first.jobs().get(0);

        // what every worker's reaper does periodically (this profile's worker does not serve this queue)
        Awaitility.await("the expired lease to be recovered").atMost(Duration.ofSeconds(5))
                .until(() -> !s.reap(queue).isEmpty());
        ClaimedJob recovered = awaitClaim(Duration.ofSeconds(5));

        assertEquals(job.id(), recovered.id());
        assertEquals(2, recovered.attempt());
        assertFalse(s.complete(lost, "{\"late\":true}"), "the expired lease must not record an outcome");
        assertTrue(s.complete(recovered, "{}"));
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
                    assertTrue(jobs.size() <= 1, jobs.toString());
                    if (jobs.isEmpty()) {
                        return false;
                    }
                    claimed.set(jobs.get(0));
                    return true;
                });
        return claimed.get();
    }
}
