package dev.conveyor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis at its {@code maxmemory} (policy {@code noeviction}) while jobs run: each running job still ends with its real
 * outcome (success, or failure by timeout) in its first attempt, leases are extended meanwhile, new jobs get 503 with
 * Retry-After, and once memory frees up new jobs are accepted and run again. Nothing accepted is lost.
 */
class RedisFullIT {

    private static final String QUEUE = "full";
    private static final int CONCURRENCY = 10;
    private static final String FILLER = "test:filler";

    @RegisterExtension
    final Processes processes = new Processes();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void runningJobsEndWithTheirRealOutcomeAndNewJobsWaitUntilMemoryFreesUp() throws Exception {
        RedisProcess redis = processes.startRedis("--maxmemory", "32mb", "--maxmemory-policy", "noeviction");
        AppProcess api = processes.startApi("api", redis, Map.of());
        AppProcess worker = processes.startWorker("worker", redis, Processes.env(
                "CONVEYOR_WORKER_LEASE", "3s",
                "CONVEYOR_WORKER_REAP_INTERVAL", "1s",
                "CONVEYOR_WORKER_CONCURRENCY", Integer.toString(CONCURRENCY),
                "CONVEYOR_WORKER_QUEUES", QUEUE));
        api.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));

        // as many jobs as the worker runs at once: half succeed after 8 s, half time out after 6 s (no retry)
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < CONCURRENCY / 2; i++) {
            jobs.add(sleepJob(8000, ""));
            jobs.add(sleepJob(12000, ",\"timeout\":\"PT6S\""));
        }
        List<String> ids = Processes.enqueueBatch(api, jobs);
        try (RedisClient client = redis.connect()) {
            Awaitility.await("every job running").atMost(Duration.ofSeconds(4)).pollInterval(Duration.ofMillis(20))
                    .until(() -> client.zcard(Processes.queueKey(QUEUE, "active")) == CONCURRENCY);

            fill(client);
            assertThat(Processes.jobFields(client, ids, "status").values()).as("still running once Redis is full")
                    .allSatisfy(row -> assertThat(row.get(0)).isEqualTo("running"));
            // the API reads Redis' memory once a second: until then a job may still be accepted, and must not be lost
            List<String> acceptedMeanwhile = new ArrayList<>();
            Processes.Answer refused = Awaitility.await("enqueue refused").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        Processes.Answer answer = Processes.post(api, "/jobs", sleepJob(0, ""), Duration.ofSeconds(5));
                        if (answer.status() == 201) {
                            acceptedMeanwhile.add(answer.body().path("id").asText());
                        }
                        return answer;
                    }, answer -> answer.status() != 201);
            assertThat(refused.status()).as("enqueue into a full Redis: %s", refused.body()).isEqualTo(503);
            assertThat(refused.response().headers().firstValue("Retry-After")).isPresent();

            Awaitility.await("every running job finished").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Processes.jobFields(client, ids, "status").values().stream()
                            .noneMatch(row -> "running".equals(row.get(0))));
            assertThat(full(client)).as("Redis still refuses writes while the outcomes are recorded").isTrue();
            Map<String, List<String>> ended = Processes.jobFields(client, ids, "status", "attempts");
            for (int i = 0; i < ids.size(); i++) {
                assertThat(ended.get(ids.get(i))).as(ids.get(i))
                        .containsExactly(i % 2 == 0 ? "succeeded" : "failed", "1");
            }

            client.call("DEL", FILLER);
            List<String> after = new ArrayList<>();
            Awaitility.await("enqueue accepted again").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        Processes.Answer answer = Processes.post(api, "/jobs", sleepJob(0, ""), Duration.ofSeconds(5));
                        if (answer.status() == 201) {
                            after.add(answer.body().path("id").asText());
                        }
                        return answer.status() == 201;
                    });
            Awaitility.await("the new job succeeded").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> "succeeded".equals(Processes.jobFields(client, after, "status").get(after.get(0))
                            .get(0)));
            assertThat(Processes.jobFields(client, ids, "status").values()).as("nothing lost")
                    .allSatisfy(row -> assertThat(row.get(0)).isIn("succeeded", "failed"));
            Awaitility.await("jobs accepted while Redis filled up succeeded").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> Processes.jobFields(client, acceptedMeanwhile, "status").values().stream()
                            .allMatch(row -> "succeeded".equals(row.get(0))));
        }
    }

    /**
     * Appends to a filler key until Redis answers OOM, in 1 MiB steps and then in 1 KiB steps: Redis refuses a write
     * only once its use is above maxmemory, and a refused 1 MiB argument frees its own buffer, which can leave the use
     * just under the limit; the small steps end above it, and from then on writes that need memory are refused.
     */
    private static void fill(RedisClient client) {
        appendUntilRefused(client, 1024 * 1024);
        appendUntilRefused(client, 1024);
    }

    private static void appendUntilRefused(RedisClient client, int size) {
        String chunk = "x".repeat(size);
        for (int i = 0; i < 100_000; i++) {
            try {
                client.call("APPEND", FILLER, chunk);
            } catch (RuntimeException e) {
                assertThat(e).hasMessageContaining("OOM");
                return;
            }
        }
        throw new AssertionError("Redis never reached its maxmemory");
    }

    private static boolean full(RedisClient client) {
        try {
            client.call("SET", "test:probe", "1");
            return false;
        } catch (RuntimeException e) {
            return String.valueOf(e.getMessage()).contains("OOM");
        }
    }

    private static String sleepJob(long ms, String extra) {
        return "{\"type\":\"sleep\",\"queue\":\"" + QUEUE + "\",\"maxAttempts\":1,\"payload\":{\"ms\":" + ms + "}"
                + extra + "}";
    }
}
