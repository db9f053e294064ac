package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.conveyor.testing.LogCapture;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;

/**
 * While Redis does not answer, heartbeats fail quietly: one warning for the whole outage, one line when they are
 * stored again, and the worker goes on running jobs.
 */
@QuarkusTest
class HeartbeatOutageTest {

    @Inject
    WorkerHeartbeat heartbeat;

    @Inject
    Vertx vertx;

    @Test
    void anOutageIsLoggedOnceAndTheWorkerGoesOn() {
        try (RedisNodes nodes = new RedisNodes(vertx); LogCapture log = LogCapture.of(WorkerHeartbeat.class.getName())) {
            // Redis keeps every write waiting until UNPAUSE, beyond conveyor.queue.redis-timeout (2 s)
            nodes.sendToEach("CLIENT", "PAUSE", "30000", "WRITE");
            try {
                heartbeat.beat().await().atMost(Duration.ofSeconds(10));
                heartbeat.beat().await().atMost(Duration.ofSeconds(10));
            } finally {
                nodes.sendToEach("CLIENT", "UNPAUSE");
            }
            heartbeat.beat().await().atMost(Duration.ofSeconds(10));

            assertThat(log.lines()).filteredOn(line -> line.contains("heartbeat not stored")).hasSize(1);
            assertThat(log.lines()).filteredOn(line -> line.contains("heartbeat stored again")).hasSize(1);
        }
        String id = enqueue("{\"type\": \"echo\", \"queue\": \"" + uniqueQueue("after-outage") + "\"}");
        awaitFinished(id, "succeeded", FIRST_PICKUP);
    }
}
