package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobId;
import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import dev.conveyor.testing.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The claim script hands out jobs by priority (1 first), then in arrival order. The worker stays off these queues. */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class ClaimOrderTest {

    @Inject
    JobStore store;

    StoreSupport s;
    String queue;

    @BeforeEach
    void setUp() {
        s = new StoreSupport(store);
        queue = Jobs.uniqueQueue("order");
    }

    @Test
    void claimsByPriorityThenByArrival() {
        int[] priorities = { 5, 1, 10, 5, 1, 3, 5, 10, 1, 3, 2, 5, 7 };
        List<Job> enqueued = new ArrayList<>();
        for (int priority : priorities) {
            // one call each: every job arrives after the previous one
            enqueued.add(s.enqueue(echo(queue, priority)));
        }

        List<JobId> claimed = s.claim(queue, 100, "t1").jobs().stream().map(ClaimedJob::id).toList();

        // a stable sort keeps arrival order within a priority
        List<JobId> expected = enqueued.stream().sorted(Comparator.comparingInt(Job::priority)).map(Job::id).toList();
        assertEquals(expected, claimed);
    }

    @Test
    void jobsOfOnePriorityComeOutInArrivalOrderEvenWithinOneMillisecond() {
        // one batch: every id has the same millisecond, so only the arrival sequence can order them
        List<NewJob> batch = IntStream.range(0, 60).mapToObj(i -> echo(queue, 5)).toList();
        List<JobId> enqueued = s.enqueueAll(batch).stream().map(Job::id).toList();
        List<JobId> byUlid = enqueued.stream().sorted(Comparator.comparing(JobId::ulid)).toList();
        assertNotEquals(enqueued, byUlid, "ids of one millisecond are in random order: this test needs them to be");

        List<JobId> claimed = s.claim(queue, 100, "t1").jobs().stream().map(ClaimedJob::id).toList();

        assertEquals(enqueued, claimed);
    }

    @Test
    void mixedPrioritiesInOneBatch() {
        int[] priorities = { 10, 5, 1, 5, 10, 1, 2, 2, 9, 1, 5 };
        List<NewJob> batch = IntStream.of(priorities).mapToObj(p -> echo(queue, p)).toList();
        List<Job> enqueued = s.enqueueAll(batch);

        List<JobId> claimed = new ArrayList<>();
        // in small claims: the order carries across claims
        for (int i = 0; i < 4; i++) {
            Claim claim = s.claim(queue, 3, "t" + i);
            assertTrue(claim.jobs().size() <= 3, claim.toString());
            claim.jobs().forEach(job -> claimed.add(job.id()));
        }

        List<JobId> expected = enqueued.stream().sorted(Comparator.comparingInt(Job::priority)).map(Job::id).toList();
        assertEquals(expected, claimed);
        assertEquals(List.of(), s.claim(queue, 10, "t9").jobs());
    }

    @Test
    void aLaterUrgentJobOvertakesWaitingJobs() {
        Job first = s.enqueue(echo(queue, 5));
        Job second = s.enqueue(echo(queue, 5));
        assertEquals(first.id(), s.claim(queue, 1, "t1").jobs().get(0).id());

        Job urgent = s.enqueue(echo(queue, 1));
        Job low = s.enqueue(echo(queue, 10));
        Job third = s.enqueue(echo(queue, 5));

        List<JobId> claimed = s.claim(queue, 10, "t2").jobs().stream().map(ClaimedJob::id).toList();
        assertEquals(List.of(urgent.id(), second.id(), third.id(), low.id()), claimed);
    }

    @Test
    void queuesAreOrderedIndependently() {
        String other = Jobs.uniqueQueue("order");
        List<Job> jobs = s.enqueueAll(List.of(echo(queue, 5), echo(other, 1), echo(queue, 1), echo(other, 5),
                echo(other, 1)));

        assertEquals(List.of(jobs.get(2).id(), jobs.get(0).id()),
                s.claim(queue, 10, "t1").jobs().stream().map(ClaimedJob::id).toList());
        assertEquals(List.of(jobs.get(1).id(), jobs.get(4).id(), jobs.get(3).id()),
                s.claim(other, 10, "t2").jobs().stream().map(ClaimedJob::id).toList());
    }

    @Test
    void aClaimLeasesTheJobAndHandsOutWhatTheWorkerNeeds() {
        NewJob request = new NewJob("sleep", queue, 3, "{\"ms\":10}", 4, null, Duration.ofMillis(1500), null, null, null);
        Job enqueued = s.enqueue(request);
        assertEquals(JobStatus.QUEUED, enqueued.status());

        long before = System.currentTimeMillis();
        Claim claim = s.claim(queue, 5, "worker-a:1");
        long after = System.currentTimeMillis();

        assertEquals(1, claim.jobs().size());
        assertNull(claim.nextDue());
        ClaimedJob job = claim.jobs().get(0);
        assertEquals(enqueued.id(), job.id());
        assertEquals("sleep", job.type());
        assertEquals("{\"ms\":10}", job.payload());
        assertEquals(1, job.attempt());
        assertEquals(4, job.maxAttempts());
        assertEquals(Duration.ofMillis(1500), job.timeout());
        assertEquals(3, job.priority());
        assertEquals("worker-a:1", job.token());
        assertEquals(enqueued.createdAt(), job.createdAt());
        assertNotNull(job.readyAt());

        Job running = s.find(job.id());
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(1, running.attempts());
        assertNotNull(running.startedAt());
        assertTrue(running.startedAt().toEpochMilli() >= before && running.startedAt().toEpochMilli() <= after,
                running.startedAt() + " not within the claim call");
        assertEquals(1L, s.counts(queue).get(JobStatus.RUNNING));
        assertEquals(0L, s.counts(queue).get(JobStatus.QUEUED));

        // leased: nobody else gets it
        assertEquals(List.of(), s.claim(queue, 5, "worker-b:1").jobs());
    }

    @Test
    void aJobWithoutTimeoutIsClaimedWithNone() {
        s.enqueue(echo(queue, 5));
        assertNull(s.claim(queue, 1, "t").jobs().get(0).timeout());
    }

    @Test
    void claimingAnEmptyOrUnknownQueueGivesNothing() {
        Claim claim = s.claim(queue, 10, "t");
        assertEquals(List.of(), claim.jobs());
        assertNull(claim.nextDue());
    }
}
