package dev.conveyor.worker;

import static dev.conveyor.testing.Jobs.FIRST_PICKUP;
import static dev.conveyor.testing.Jobs.awaitFinished;
import static dev.conveyor.testing.Jobs.awaitJob;
import static dev.conveyor.testing.Jobs.enqueue;
import static dev.conveyor.testing.Jobs.uniqueQueue;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.conveyor.devservices.LocalRedis;
import dev.conveyor.testing.RedisNodes;
import dev.conveyor.testing.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;

/**
 * After Redis restarts, the worker subscribes to cancellations again: a running job is stopped by the pub/sub
 * message. The lease is so long that the lease extension (the other way a worker hears of a cancellation) does not
 * run during the test.
 */
@QuarkusTest
@TestProfile(CancelAfterRedisRestartTest.OwnRedis.class)
class CancelAfterRedisRestartTest {

    /** A redis-server of its own, which this test stops and starts again on the same port. */
    public static class OwnRedis implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.worker.lease", "30m");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static LocalRedis restarted;

    @Inject
    Redis redis;

    @ConfigProperty(name = "quarkus.redis.hosts")
    URI redisUrl;

    @ConfigProperty(name = "conveyor.queue.key-prefix")
    String prefix;

    @AfterAll
    static void stopRestartedRedis() {
        if (restarted != null) {
            restarted.close();
        }
    }

    @Test
    void aRunningJobIsCancelledByPubSubAfterARedisRestart() throws Exception {
        assumeFalse(RedisNodes.cluster(), "restarts one redis-server; on a cluster OutageIT restarts every node");
        awaitSubscribed();
        int port = redisUrl.getPort();
        try {
            redis.send(Request.cmd(Command.SHUTDOWN).arg("NOSAVE")).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException expected) {
            // the server closes the connection instead of answering
        }
        Awaitility.await("redis-server to stop").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> !LocalRedis.answers("127.0.0.1", port));
        restarted = LocalRedis.start(port, Path.of("target", "test-redis-restart"));

        awaitSubscribed();
        String id = enqueue("""
                {"type": "sleep", "queue": "%s", "maxAttempts": 3, "payload": {"ms": 30000}}
                """.formatted(uniqueQueue("restart-cancel")));
        awaitJob(id, FIRST_PICKUP, job -> job.getString("status").equals("running"));
        given().when().delete("/jobs/" + id).then().statusCode(202);

        // far sooner than the 30 s sleep, and than the lease extension (every 10 min here)
        JsonPath job = awaitFinished(id, "cancelled", Duration.ofSeconds(10));
        assertThat(job.getString("error")).isEqualTo("cancelled by request");
    }

    /** Until the worker listens on the cancel channel. */
    private void awaitSubscribed() {
        Awaitility.await("the worker to subscribe to cancellations").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> {
                    Response answer = redis.send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(prefix + ":cancel"))
                            .await().atMost(Duration.ofSeconds(2));
                    return answer.get(1).toLong() > 0;
                });
    }
}
