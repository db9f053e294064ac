package dev.conveyor.it;

import static dev.conveyor.it.Processes.env;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * SIGTERM to a busy worker. Its short jobs finish within the shutdown timeout; its long ones go back to {@code queued}
 * at once, with their attempt given back, instead of waiting for their lease (60 s here) to expire; the process exits
 * within seconds; a new worker then runs them all.
 */
class GracefulShutdownIT {

    private static final Logger LOG = Logger.getLogger(GracefulShutdownIT.class);

    private static final String QUEUE = "graceful";
    private static final int LONG_JOBS = 5;
    private static final int SHORT_JOBS = 10;
    private static final long LONG_MS = 20_000;
    private static final long SHORT_MS = 500;

    @RegisterExtension
    final Processes processes = new Processes();

    private final Map<String, String> workerEnv = env(
            "CONVEYOR_WORKER_LEASE", "60s",
            "CONVEYOR_WORKER_REAP_INTERVAL", "1s",
            "CONVEYOR_WORKER_CONCURRENCY", "20",
            "CONVEYOR_WORKER_SHUTDOWN_TIMEOUT", "1s",
            "CONVEYOR_WORKER_QUEUES", QUEUE);

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void sigtermFinishesShortJobsAndHandsLongOnesBackAtOnce() throws Exception {
        long began = System.nanoTime();
        RedisProcess redis = processes.startRedis();
        AppProcess api = processes.startApi("api", redis, Map.of());
        AppProcess worker = processes.startWorker("worker-1", redis, workerEnv);
        api.awaitReady(Duration.ofSeconds(90));
        worker.awaitReady(Duration.ofSeconds(90));

        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < LONG_JOBS; i++) {
            jobs.add(sleepJob(LONG_MS));
        }
        for (int i = 0; i < SHORT_JOBS; i++) {
            jobs.add(sleepJob(SHORT_MS));
        }
        // connected before the jobs exist: the short ones leave the active set half a second after they start
        try (RedisClient client = redis.connect()) {
            List<String> ids = Processes.enqueueBatch(api, jobs);
            List<String> longIds = ids.subList(0, LONG_JOBS);
            List<String> shortIds = ids.subList(LONG_JOBS, ids.size());
            Awaitility.await("every job running").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(() -> client.zcard(Processes.queueKey(QUEUE, "active")) == ids.size());
            long sigtermAt = System.currentTimeMillis();
            long sigtermNanos = System.nanoTime();
            worker.sigterm();

            // the long jobs are back in the queue at once, not after their 60 s lease
            Awaitility.await("long jobs handed back").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Processes.jobFields(client, longIds, "status", "attempts", "token").values().stream()
                            .allMatch(f -> f.get(0).equals("queued") && f.get(1).equals("0") && f.get(2) == null));
            long handedBackMillis = Duration.ofNanos(System.nanoTime() - sigtermNanos).toMillis();
            assertThat(client.zcard(Processes.queueKey(QUEUE, "active"))).as("jobs still leased").isEqualTo(0);
            assertThat(client.zcard(Processes.queueKey(QUEUE, "ready"))).as("queued jobs").isEqualTo(LONG_JOBS);

            assertThat(worker.awaitExit(Duration.ofSeconds(8))).as("the worker did not exit within 8 s of SIGTERM")
                    .isTrue();
            long exitMillis = Duration.ofNanos(System.nanoTime() - sigtermNanos).toMillis();

            // the short ones, running at SIGTERM, finished during the shutdown timeout
            Processes.jobFields(client, shortIds, "status", "finishedAt", "attempts").forEach((id, f) -> {
                assertThat(f.get(0)).as(id + " status").isEqualTo("succeeded");
                assertThat(Long.parseLong(f.get(1))).as(id + " finished before SIGTERM: it was not running")
                        .isGreaterThanOrEqualTo(sigtermAt);
                assertThat(f.get(2)).as(id + " attempts").isEqualTo("1");
            });
            LOG.infof("SIGTERM: long jobs queued again after %d ms, worker exited after %d ms "
                    + "(exit code %d), %d short jobs finished meanwhile", handedBackMillis, exitMillis,
                    worker.exitValue(), shortIds.size());

            long restartNanos = System.nanoTime();
            processes.startWorker("worker-2", redis, workerEnv).awaitReady(Duration.ofSeconds(90));
            Awaitility.await("the new worker ran the long jobs").atMost(Duration.ofMillis(LONG_MS + 30_000))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Processes.jobFields(client, longIds, "status").values().stream()
                            .allMatch(f -> f.get(0).equals("succeeded")));
            Processes.jobFields(client, longIds, "attempts").forEach((id, f) ->
                    assertThat(f.get(0)).as(id + ": the handed-back attempt must not count").isEqualTo("1"));
            LOG.infof("a new worker finished the %d long jobs %d s after it was started; test took "
                    + "%d s", LONG_JOBS, Duration.ofNanos(System.nanoTime() - restartNanos).toSeconds(),
                    Duration.ofNanos(System.nanoTime() - began).toSeconds());
        }
    }

    private static String sleepJob(long ms) {
        return "{\"type\":\"sleep\",\"queue\":\"" + QUEUE + "\",\"maxAttempts\":3,\"payload\":{\"ms\":" + ms + "}}";
    }
}
