package dev.conveyor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.conveyor.testing.WorkerJobs.FIRST_PICKUP;
import static dev.conveyor.testing.WorkerJobs.awaitFinished;
import static dev.conveyor.testing.WorkerJobs.enqueue;
import static dev.conveyor.testing.WorkerJobs.instant;
import static dev.conveyor.testing.WorkerJobs.millisBetween;
import static dev.conveyor.testing.WorkerJobs.uniqueQueue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * How fast an idle worker starts new work. The worker's blocking wait lasts up to conveyor.worker.idle-wait (5 s), so
 * a worker that merely polled would start a job seconds late; an enqueue must wake it at once instead. Latency is
 * startedAt - createdAt, both stamped by the service. Each job is enqueued only once the worker is idle again:
 * nothing in flight and its connection blocked in BZPOPMIN (seen in Redis' CLIENT LIST).
 */
@QuarkusTest
class PickupLatencyTest {

    static final long MAX_PICKUP_MS = 500;

    @Inject
    ClaimLoop worker;

    @Inject
    Redis redis;

    @Test
    void jobsEnqueuedToAnIdleWorkerStartAtOnce() {
        String queue = warmQueue();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            awaitIdleWorker();
            String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\", \"payload\": {\"i\": " + i + "}}");
            JsonPath job = awaitFinished(id, "succeeded", Duration.ofSeconds(10));
            latencies.add(millisBetween(job, "createdAt", "startedAt"));
        }
        for (long latency : latencies) {
            assertThat(latency >= 0 && latency < MAX_PICKUP_MS).as("pickup latencies (ms): " + latencies).isTrue();
        }
    }

    @Test
    void jobsOfTheDefaultQueueStartAtOnce() {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            awaitIdleWorker();
            String id = enqueue("{\"type\": \"echo\", \"payload\": {\"i\": " + i + "}}");
            JsonPath job = awaitFinished(id, "succeeded", Duration.ofSeconds(10));
            latencies.add(millisBetween(job, "createdAt", "startedAt"));
        }
        for (long latency : latencies) {
            assertThat(latency >= 0 && latency < MAX_PICKUP_MS).as("pickup latencies (ms): " + latencies).isTrue();
        }
    }

    @Test
    void aDelayedJobStartsWhenDueNotAtTheNextPoll() {
        String queue = warmQueue();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            awaitIdleWorker();
            String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\", \"delay\": \"PT1S\"}");
            JsonPath job = awaitFinished(id, "succeeded", Duration.ofSeconds(10));
            assertThat(!instant(job, "startedAt").isBefore(instant(job, "runAt")))
                    .as("started before due: " + job.prettify())
                    .isTrue();
            latencies.add(millisBetween(job, "createdAt", "startedAt"));
        }
        for (long latency : latencies) {
            assertThat(latency >= 990 && latency <= 1300).as("delayed job latencies (ms): " + latencies).isTrue();
        }
    }

    /**
     * The worker serves every queue, but its blocking wait only listens to the queues it knew when the wait began:
     * the first job of a queue created meanwhile must wake it as well. Otherwise it would start only when
     * the wait times out (about 5 s later) and the worker re-reads the registry of queues.
     */
    @Test
    void theFirstJobOfANewQueueStartsAtOnce() {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            awaitIdleWorker();
            String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + uniqueQueue("fresh") + "\"}");
            JsonPath job = awaitFinished(id, "succeeded", FIRST_PICKUP);
            latencies.add(millisBetween(job, "createdAt", "startedAt"));
        }
        for (long latency : latencies) {
            assertThat(latency >= 0 && latency < MAX_PICKUP_MS).as("first-job latencies (ms): " + latencies).isTrue();
        }
    }

    /**
     * A job that ends while the worker is blocked waiting for work: its success cannot ride along with a claim, so it
     * must be written on its own at once, not when the wait ends (up to conveyor.worker.idle-wait, 5 s, later).
     */
    @Test
    void aSuccessIsRecordedAtOnceWhileTheWorkerWaitsForWork() {
        String queue = warmQueue();
        awaitIdleWorker();
        String id = enqueue("{\"type\": \"sleep\", \"queue\": \"" + queue + "\", \"payload\": {\"ms\": 300}}");
        Awaitility.await("the worker to wait for work while the job runs")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> worker.inFlight() == 1 && blockedPops() == 1);
        JsonPath job = awaitFinished(id, "succeeded", Duration.ofSeconds(10));
        long ranFor = millisBetween(job, "startedAt", "finishedAt");
        assertThat(ranFor >= 300 && ranFor < 300 + MAX_PICKUP_MS)
                .as("startedAt to finishedAt (ms): " + ranFor)
                .isTrue();
    }

    /** A queue the worker already serves: one job has run in it. */
    private static String warmQueue() {
        String queue = uniqueQueue("pickup");
        awaitFinished(enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\"}"), "succeeded", FIRST_PICKUP);
        return queue;
    }

    private void awaitIdleWorker() {
        Awaitility.await("the worker to be idle, blocked on Redis")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> worker.inFlight() == 0 && blockedPops() == 1);
    }

    /** Connections blocked in BZPOPMIN right now. */
    private long blockedPops() {
        String clients = redis.send(Request.cmd(Command.CLIENT).arg("LIST")).await().atMost(Duration.ofSeconds(5))
                .toString();
        return Arrays.stream(clients.split("\n"))
                .filter(line -> line.contains(" cmd=bzpopmin ") && line.matches(".* flags=[A-Za-z]*b[A-Za-z]* .*"))
                .count();
    }
}
