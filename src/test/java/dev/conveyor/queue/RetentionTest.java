package dev.conveyor.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.conveyor.job.JobStatus;
import dev.conveyor.job.NewJob;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Finished jobs expire and their index entries are dropped, so Redis memory stays bounded under constant load. */
@QuarkusTest
@TestProfile(RetentionTest.ShortRetention.class)
class RetentionTest {

    public static class ShortRetention implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.retention.succeeded", "1s", "conveyor.worker.reap-interval", "200ms",
                    "conveyor.worker.concurrency", "50");
        }
    }

    private static final int ROUND = 300;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    StoreSupport s;

    @Inject
    RedisDataSource redis;

    @Test
    void memoryAfterTenTimesMoreJobsIsNotTenTimesMore() {
        String queue = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        long baseline = usedMemory();

        runRound(queue);
        long afterOne = usedMemory() - baseline;
        long keysAfterOne = jobKeys(queue);

        for (int round = 2; round <= 10; round++) {
            outliveRetention();
            runRound(queue);
        }
        long afterTen = usedMemory() - baseline;
        long keysAfterTen = jobKeys(queue);

        assertThat(keysAfterTen).as("job hashes left after 10 rounds (%d after one)", keysAfterOne)
                .isLessThan(3L * ROUND);
        assertThat(afterTen).as("memory growth after 10x the jobs (%d bytes after one round)", afterOne)
                .isLessThan(3 * Math.max(afterOne, 1));
        Awaitility.await().atMost(WAIT).untilAsserted(() -> {
            long indexed = redis.sortedSet(String.class).zcard("conveyor:{" + queue + "}:all");
            assertThat(indexed).as("index entries of expired jobs are dropped").isLessThan(2L * ROUND);
        });
    }

    /** Enqueues a round of jobs and waits until all succeeded. */
    private void runRound(String queue) {
        List<NewJob> jobs = new ArrayList<>();
        for (int i = 0; i < ROUND; i++) {
            jobs.add(new NewJob("echo", queue, 5, "{\"n\":" + i + ",\"pad\":\"" + "x".repeat(200) + "\"}", 3, null,
                    null, null, null, null));
        }
        s.enqueueAll(jobs);
        Awaitility.await().atMost(WAIT).until(() -> {
            Map<JobStatus, Long> counts = s.counts(queue);
            return counts.get(JobStatus.QUEUED) == 0 && counts.get(JobStatus.RUNNING) == 0;
        });
    }

    /** Lets the 1 s retention of the jobs so far run out (waiting on the clock is the point here). */
    private static void outliveRetention() {
        long started = System.nanoTime();
        Awaitility.await().atMost(WAIT).until(() -> System.nanoTime() - started > 1_100_000_000L);
    }

    private long jobKeys(String queue) {
        return redis.key(String.class).keys("conveyor:{" + queue + "}:job:*").size();
    }

    private long usedMemory() {
        String info = redis.execute("INFO", "memory").toString();
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new IllegalStateException("no used_memory in INFO");
    }
}
