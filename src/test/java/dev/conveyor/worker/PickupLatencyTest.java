package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.instant;
import static dev.conveyor.testing.Jobs.millisBetween;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.RedisNodes;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.core.Vertx;

/**
 * How fast an idle worker starts new work. The worker's blocking wait lasts up to conveyor.worker.idle-wait (5 s), so
 * a worker that merely polled would start a job seconds late; an enqueue must wake it at once instead. Latency is
 * startedAt - createdAt, both stamped by the service. Each job is enqueued only once the worker is idle again:
 * nothing in flight and its connection blocked in BZPOPMIN (seen in Redis' CLIENT LIST). On a cluster the worker
 * blocks once per queue, each on the node of its queue: at least one must be blocked there.
 */
@QuarkusTest
class PickupLatencyTest {

    static final long MAX_PICKUP_MS = 500;
    private static final Logger LOG = Logger.getLogger(PickupLatencyTest.class);

    @Inject
    ClaimLoop worker;

    @Inject
    Vertx vertx;

    private RedisNodes nodes;

    @BeforeEach
    void connectNodes() {
        nodes = new RedisNodes(vertx);
    }

    @AfterEach
    void closeNodes() {
        nodes.close();
    }

    @Test
    void jobsEnqueuedToAnIdleWorkerStartAtOnce() {
        String queue = warmQueue();
        List<Long> latencies = pickupLatencies(6, Duration.ofSeconds(10),
                i -> "{\"type\": \"echo\", \"queue\": \"" + queue + "\", \"payload\": {\"i\": " + i + "}}");
        assertPickedUpAtOnce("idle worker", latencies);
    }

    @Test
    void jobsOfTheDefaultQueueStartAtOnce() {
        List<Long> latencies = pickupLatencies(3, Duration.ofSeconds(10),
                i -> "{\"type\": \"echo\", \"payload\": {\"i\": " + i + "}}");
        assertPickedUpAtOnce("default queue", latencies);
    }

    @Test
    void aDelayedJobStartsWhenDueNotAtTheNextPoll() {
        String queue = warmQueue();
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            awaitIdleWorker();
            String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\", \"delay\": \"PT1S\"}");
            JsonPath job = awaitFinished(id, "succeeded", Duration.ofSeconds(10));
            assertThat(instant(job, "startedAt")).as("started before due: " + job.prettify())
                    .isAfterOrEqualTo(instant(job, "runAt"));
            latencies.add(millisBetween(job, "createdAt", "startedAt"));
        }
        LOG.infof("delay PT1S, startedAt - createdAt (ms): %s", latencies);
        assertThat(latencies).as("delayed job latencies (ms)")
                .allSatisfy(latency -> assertThat(latency).isBetween(990L, 1300L));
    }

    /**
     * The worker serves every queue, but its blocking wait only listens to the queues it knew when the wait began:
     * the first job of a queue created meanwhile must wake it as well, not when the wait times out (about 5 s later)
     * and the worker re-reads the registry of queues.
     */
    @Test
    void theFirstJobOfANewQueueStartsAtOnce() {
        List<Long> latencies = pickupLatencies(2, FIRST_PICKUP,
                i -> "{\"type\": \"echo\", \"queue\": \"" + uniqueQueue("fresh") + "\"}");
        assertPickedUpAtOnce("first job of a new queue", latencies);
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
                .until(() -> worker.inFlight() == 1 && waitingForWork());
        JsonPath job = awaitFinished(id, "succeeded", Duration.ofSeconds(10));
        long ranFor = millisBetween(job, "startedAt", "finishedAt");
        LOG.infof("300 ms job ended while waiting, recorded after (ms): %d", ranFor);
        assertThat(ranFor).as("startedAt to finishedAt (ms): " + ranFor).isGreaterThanOrEqualTo(300)
                .isLessThan(300 + MAX_PICKUP_MS);
    }

    /** Jobs one at a time, each once the worker is idle: startedAt - createdAt of each (ms). */
    private List<Long> pickupLatencies(int jobs, Duration max, IntFunction<String> body) {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            awaitIdleWorker();
            JsonPath job = awaitFinished(enqueue(body.apply(i)), "succeeded", max);
            latencies.add(millisBetween(job, "createdAt", "startedAt"));
        }
        return latencies;
    }

    private static void assertPickedUpAtOnce(String what, List<Long> latencies) {
        LOG.infof("%s, startedAt - createdAt (ms): %s", what, latencies);
        assertThat(latencies).as("%s: pickup latencies (ms)", what)
                .allSatisfy(latency -> assertThat(latency).isGreaterThanOrEqualTo(0L).isLessThan(MAX_PICKUP_MS));
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
                .until(() -> worker.inFlight() == 0 && waitingForWork());
    }

    /** The worker's blocking wait is on: its one pop blocked, or on a cluster at least one of its pops per queue. */
    private boolean waitingForWork() {
        long blocked = blockedPops();
        return RedisNodes.cluster() ? blocked >= 1 : blocked == 1;
    }

    /** Connections blocked in BZPOPMIN right now, on every node. */
    private long blockedPops() {
        return nodes.sendToEach("CLIENT", "LIST").stream()
                .flatMap(clients -> Arrays.stream(clients.toString().split("\n")))
                .filter(line -> line.contains(" cmd=bzpopmin ") && line.matches(".* flags=[A-Za-z]*b[A-Za-z]* .*"))
                .count();
    }
}
