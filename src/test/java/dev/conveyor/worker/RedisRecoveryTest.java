package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * The worker keeps working when Redis forgets things behind the service's back, as after a restart or failover
 * without persistence: its script cache, or the registry of queue names.
 */
@QuarkusTest
class RedisRecoveryTest {

    @Inject
    Redis redis;

    @Inject
    WorkerQueues workerQueues;

    @ConfigProperty(name = "conveyor.queue.key-prefix")
    String prefix;

    @Test
    void jobsStillRunAfterRedisLostItsScripts() {
        String queue = uniqueQueue("noscript");
        awaitFinished(enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\"}"), "succeeded", FIRST_PICKUP);

        send(Request.cmd(Command.SCRIPT).arg("FLUSH"));

        // enqueue (a pipelined script batch), claim, complete and fail (single script calls) all reload the scripts
        String ok = enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\", \"payload\": {\"after\": \"flush\"}}");
        JsonPath job = awaitFinished(ok, "succeeded", Duration.ofSeconds(10));
        assertThat(job.getString("result.after")).isEqualTo("flush");

        send(Request.cmd(Command.SCRIPT).arg("FLUSH"));
        String failing = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 1, "payload": {"ms": 1, "failTimes": 1}}
                """.formatted(queue));
        awaitFinished(failing, "failed", Duration.ofSeconds(10));
    }

    /**
     * A Redis restart without persistence also empties the registry of queue names that workers serving every queue
     * read. Simulated here by removing one queue from it: the next job of that queue must register it again, even
     * though this process registered it before.
     */
    @Test
    void aQueueRedisForgotIsRegisteredAgainByItsNextJob() {
        String queue = uniqueQueue("forgotten");
        awaitFinished(enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\"}"), "succeeded", FIRST_PICKUP);

        send(Request.cmd(Command.SREM).arg(prefix + ":queues").arg(queue));
        // the worker re-reads the registry every conveyor.worker.queue-refresh (200 ms in tests)
        Awaitility.await("the worker to drop " + queue + " from the queues it serves")
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !workerQueues.current().await().atMost(Duration.ofSeconds(5)).names().contains(queue));

        String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + queue + "\"}");
        awaitFinished(id, "succeeded", FIRST_PICKUP);
    }

    private void send(Request request) {
        redis.send(request).await().atMost(Duration.ofSeconds(5));
    }
}
