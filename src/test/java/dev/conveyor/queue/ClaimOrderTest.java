package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

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
    StoreSupport s;

    final String queue = Jobs.uniqueQueue("order");

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
        assertThat(claimed).isEqualTo(expected);
    }

    @Test
    void jobsOfOnePriorityComeOutInArrivalOrderEvenWithinOneMillisecond() {
        // one batch: every id has the same millisecond, so only the arrival sequence can order them
        List<NewJob> batch = IntStream.range(0, 60).mapToObj(i -> echo(queue, 5)).toList();
        List<JobId> enqueued = s.enqueueAll(batch).stream().map(Job::id).toList();
        List<JobId> byUlid = enqueued.stream().sorted(Comparator.comparing(JobId::ulid)).toList();
        assertThat(byUlid).as("ids of one millisecond are in random order: this test needs them to be")
                .isNotEqualTo(enqueued);

        List<JobId> claimed = s.claim(queue, 100, "t1").jobs().stream().map(ClaimedJob::id).toList();

        assertThat(claimed).isEqualTo(enqueued);
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
            assertThat(claim.jobs().size() <= 3).as(claim.toString()).isTrue();
            claim.jobs().forEach(job -> claimed.add(job.id()));
        }

        List<JobId> expected = enqueued.stream().sorted(Comparator.comparingInt(Job::priority)).map(Job::id).toList();
        assertThat(claimed).isEqualTo(expected);
        assertThat(s.claim(queue, 10, "t9").jobs()).isEmpty();
    }

    @Test
    void aLaterUrgentJobOvertakesWaitingJobs() {
        Job first = s.enqueue(echo(queue, 5));
        Job second = s.enqueue(echo(queue, 5));
        assertThat(s.claim(queue, 1, "t1").jobs().get(0).id()).isEqualTo(first.id());

        Job urgent = s.enqueue(echo(queue, 1));
        Job low = s.enqueue(echo(queue, 10));
        Job third = s.enqueue(echo(queue, 5));

        List<JobId> claimed = s.claim(queue, 10, "t2").jobs().stream().map(ClaimedJob::id).toList();
        assertThat(claimed).containsExactly(urgent.id(), second.id(), third.id(), low.id());
    }

    @Test
    void queuesAreOrderedIndependently() {
        String other = Jobs.uniqueQueue("order");
        List<Job> jobs = s.enqueueAll(List.of(echo(queue, 5), echo(other, 1), echo(queue, 1), echo(other, 5),
                echo(other, 1)));

        assertThat(s.claim(queue, 10, "t1").jobs()).extracting(ClaimedJob::id)
                .containsExactly(jobs.get(2).id(), jobs.get(0).id());
        assertThat(s.claim(other, 10, "t2").jobs()).extracting(ClaimedJob::id)
                .containsExactly(jobs.get(1).id(), jobs.get(4).id(), jobs.get(3).id());
    }

    @Test
    void aClaimLeasesTheJobAndHandsOutWhatTheWorkerNeeds() {
        NewJob request = new NewJob("sleep", queue, 3, "{\"ms\":10}", 4, null, Duration.ofMillis(1500), null, null,
                null);
        Job enqueued = s.enqueue(request);
        assertThat(enqueued.status()).isEqualTo(JobStatus.QUEUED);

        long before = System.currentTimeMillis();
        Claim claim = s.claim(queue, 5, "worker-a:1");
        long after = System.currentTimeMillis();

        assertThat(claim.jobs().size()).isEqualTo(1);
        assertThat(claim.nextDue()).isNull();
        ClaimedJob job = claim.jobs().get(0);
        assertThat(job.id()).isEqualTo(enqueued.id());
        assertThat(job.type()).isEqualTo("sleep");
        assertThat(job.payload()).isEqualTo("{\"ms\":10}");
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.maxAttempts()).isEqualTo(4);
        assertThat(job.timeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(job.priority()).isEqualTo(3);
        assertThat(job.token()).isEqualTo("worker-a:1");
        assertThat(job.createdAt()).isEqualTo(enqueued.createdAt());
        assertThat(job.readyAt()).isNotNull();

        Job running = s.find(job.id());
        assertThat(running.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(running.attempts()).isEqualTo(1);
        assertThat(running.startedAt()).isNotNull();
        assertThat(running.startedAt().toEpochMilli()).as("started within the claim call").isBetween(before, after);
        assertThat(s.counts(queue).get(JobStatus.RUNNING)).isEqualTo(1L);
        assertThat(s.counts(queue).get(JobStatus.QUEUED)).isEqualTo(0L);

        // leased: nobody else gets it
        assertThat(s.claim(queue, 5, "worker-b:1").jobs()).isEmpty();
    }

    @Test
    void aJobWithoutTimeoutIsClaimedWithNone() {
        s.enqueue(echo(queue, 5));
        assertThat(s.claim(queue, 1, "t").jobs().get(0).timeout()).isNull();
    }

    @Test
    void claimingAnEmptyOrUnknownQueueGivesNothing() {
        Claim claim = s.claim(queue, 10, "t");
        assertThat(claim.jobs()).isEmpty();
        assertThat(claim.nextDue()).isNull();
    }
}
