package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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

/**
 * Leases and due times follow Redis' clock, not the caller's: stores whose clock runs a minute ahead or behind
 * (as on a host whose clock drifted) neither steal live leases, nor run waiting jobs early, nor lose their own leases.
 */
@QuarkusTest
@TestProfile(StoreOnlyProfile.class)
class ClockSkewTest {

    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final Duration LEASE = Duration.ofSeconds(30);

    @Inject
    StoreSupport s;

    @Inject
    RedisCalls redis;

    @Inject
    KeySpace keys;

    @Inject
    Scripts scripts;

    @Inject
    QueueInspector inspector;

    @Inject
    QueueConfig config;

    @Inject
    RetentionConfig retention;

    @Inject
    MemoryGuard memory;

    final String queue = Jobs.uniqueQueue("skew");
    JobStore ahead;
    JobStore behind;

    @BeforeEach
    void skewedStores() {
        ahead = skewed(SKEW);
        behind = skewed(SKEW.negated());
    }

    private JobStore skewed(Duration offset) {
        return new JobStore(redis, keys, scripts, inspector, config, retention, memory,
                Clock.offset(Clock.systemUTC(), offset));
    }

    @Test
    void aStoreWhoseClockRunsAheadDoesNotStealALiveLease() {
        JobId id = s.enqueue(StoreSupport.echo(queue, 5)).id();
        ClaimedJob live = s.claimOne(queue, id, LEASE, "live:1");

        Recovered recovered = ahead.reap(queue).await().atMost(StoreSupport.CALL);
        Claim claim = ahead.completeAndClaim(queue, 10, LEASE, "thief:1", List.of()).await().atMost(StoreSupport.CALL);

        assertThat(recovered.requeued()).as("recovered by the reaper that runs ahead").isEmpty();
        assertThat(claim.jobs()).as("claimed by the worker that runs ahead").isEmpty();
        assertThat(s.find(id).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(s.extend(queue, List.of(live), LEASE).lost()).isEmpty();
        assertThat(s.complete(live, "1")).isTrue();
    }

    @Test
    void aStoreWhoseClockRunsAheadRunsNoWaitingJobEarly() {
        JobId scheduled = s.enqueue(StoreSupport.job(queue, 5, 3, Instant.now().plusSeconds(30))).id();
        JobId retried = s.enqueue(StoreSupport.echo(queue, 5)).id();
        ClaimedJob attempt = s.claimOne(queue, retried, "a1");
        assertThat(s.fail(attempt, "boom", Duration.ofSeconds(30))).contains(JobStatus.RETRYING);

        Claim claim = ahead.completeAndClaim(queue, 10, LEASE, "ahead:1", List.of()).await().atMost(StoreSupport.CALL);

        assertThat(claim.jobs()).isEmpty();
        assertThat(s.find(scheduled).status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(s.find(retried).status()).isEqualTo(JobStatus.RETRYING);
        assertThat(claim.nextDue()).as("the worker's own clock: due in about 30 s for it")
                .isAfter(Instant.now().plus(SKEW));
    }

    @Test
    void aStoreWhoseClockRunsBehindKeepsItsLeasesAndRetriesOnTime() {
        JobId id = s.enqueue(StoreSupport.echo(queue, 5)).id();
        ClaimedJob claimed = behind.completeAndClaim(queue, 1, LEASE, "behind:1", List.of()).await()
                .atMost(StoreSupport.CALL).jobs().get(0);
        assertThat(claimed.id()).isEqualTo(id);

        assertThat(s.reap(queue).requeued()).as("recovered by a reaper on time").isEmpty();
        assertThat(behind.fail(claimed, "boom", Duration.ZERO).await().atMost(StoreSupport.CALL))
                .contains(JobStatus.RETRYING);
        assertThat(s.claim(queue, 1, "on-time:1").jobs()).as("a retry due at once, by Redis' clock")
                .extracting(ClaimedJob::id).containsExactly(id);
    }

    @Test
    void aDelayIsMeasuredWithRedisClockNotTheEnqueuersOne() {
        Duration delay = Duration.ofSeconds(30);
        NewJob job = StoreSupport.echo(queue, 5);
        NewJob delayed = new NewJob(job.type(), queue, job.priority(), job.payload(), job.maxAttempts(), null, delay,
                null, null, null, null);
        Instant before = Instant.now();

        Job created = behind.enqueue(List.of(delayed)).await().atMost(StoreSupport.CALL).get(0).job();

        assertThat(created.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(created.runAt()).as("due 30 s from Redis' now, not from a clock a minute behind")
                .isBetween(before.plus(delay).minusSeconds(5), Instant.now().plus(delay).plusSeconds(5));
        assertThat(s.find(created.id()).runAt()).isEqualTo(created.runAt());
        assertThat(s.claim(queue, 1, "on-time:1").jobs()).as("not claimable before its due time").isEmpty();
    }
}
