package dev.conveyor.queue;

import static dev.conveyor.queue.StoreSupport.echo;
import static dev.conveyor.queue.StoreSupport.job;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.Job;
import dev.conveyor.job.JobStatus;
import dev.conveyor.testing.Jobs;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Retention limits per final status and per queue: failed and cancelled jobs are kept up to their own count, and a
 * queue's own count or age replaces the global one.
 */
@QuarkusTest
@TestProfile(RetentionLimitsTest.SmallLimits.class)
class RetentionLimitsTest {

    static final String ROOMY = "retention-roomy";
    static final String BRIEF = "retention-brief";

    public static class SmallLimits extends StoreOnlyProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.putAll(Map.of("conveyor.retention.succeeded-count", "5",
                    "conveyor.retention.failed-count", "3",
                    "conveyor.retention.queues." + ROOMY + ".succeeded-count", "8",
                    "conveyor.retention.queues." + BRIEF + ".succeeded", "1ms"));
            return config;
        }
    }

    @Inject
    StoreSupport s;

    @Inject
    RedisDataSource redis;

    @Test
    void failedAndCancelledJobsKeepTheirOwnCount() {
        String queue = Jobs.uniqueQueue("dead");
        s.enqueueAll(IntStream.range(0, 6).mapToObj(i -> job(queue, 5, 1, null)).toList());
        for (ClaimedJob claimed : s.claim(queue, 6, "w:1").jobs()) {
            assertThat(s.fail(claimed, "boom", null)).contains(JobStatus.FAILED);
        }
        List<Job> cancelling = s.enqueueAll(IntStream.range(0, 5).mapToObj(i -> echo(queue, 5)).toList());
        cancelling.forEach(job -> assertThat(s.cancel(job.id()).result()).isEqualTo(CancelOutcome.Result.CANCELLED));

        assertThat(zcard(queue, "failed")).isEqualTo(3);
        assertThat(zcard(queue, "cancelled")).isEqualTo(3);
        assertThat(zcard(queue, "all")).isEqualTo(6);
        assertThat(redis.key().keys("conveyor:{" + queue + "}:job:*")).hasSize(6);
        assertThat(s.counts(queue)).containsEntry(JobStatus.FAILED, 3L).containsEntry(JobStatus.CANCELLED, 3L);
    }

    @Test
    void aQueuesOwnCountReplacesTheGlobalOne() {
        String other = Jobs.uniqueQueue("global");
        succeedNew(List.of(ROOMY, other), 12);

        assertThat(zcard(ROOMY, "succeeded")).as(ROOMY + ", which keeps 8").isEqualTo(8);
        assertThat(zcard(other, "succeeded")).as("a queue with the global count of 5").isEqualTo(5);
    }

    @Test
    void aQueuesOwnAgeReplacesTheGlobalOne() {
        String other = Jobs.uniqueQueue("global");
        succeedNew(List.of(BRIEF, other), 3);

        Awaitility.await(BRIEF + "'s succeeded jobs past their 1 ms").atMost(Duration.ofSeconds(10))
                .until(() -> {
                    s.reap(BRIEF);
                    return zcard(BRIEF, "succeeded") == 0;
                });
        assertThat(redis.key().keys("conveyor:{" + BRIEF + "}:job:*")).isEmpty();
        s.reap(other);
        assertThat(zcard(other, "succeeded")).as("a queue with the global age of 1h").isEqualTo(3);
    }

    /** Enqueues n jobs into each queue and records them all as succeeded, one call per queue. */
    private void succeedNew(List<String> queues, int n) {
        for (String queue : queues) {
            s.enqueueAll(IntStream.range(0, n).mapToObj(i -> echo(queue, 5)).toList());
            succeedAll(queue, n);
        }
    }

    private void succeedAll(String queue, int n) {
        List<ClaimedJob> claimed = s.claim(queue, n, "w:" + queue).jobs();
        assertThat(claimed).hasSize(n);
        Claim recorded = s.completeAndClaim(queue, 0, "",
                claimed.stream().map(job -> new Completion(job, "{}")).toList());
        assertThat(recorded.recorded()).allMatch(Optional::isPresent);
    }

    private long zcard(String queue, String index) {
        return redis.sortedSet(String.class).zcard("conveyor:{" + queue + "}:" + index);
    }
}
