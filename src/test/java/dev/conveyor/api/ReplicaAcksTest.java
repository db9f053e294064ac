package dev.conveyor.api;

import static dev.conveyor.testing.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.conveyor.devservices.LocalRedis;
import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.LocalRedisCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * With {@code conveyor.queue.replica-acks=1} an enqueue is acknowledged only once a replica holds it: with the replica
 * up, the job is on it when the 201 arrives; with the replica frozen (SIGSTOP), the same request answers 503
 * outcome-unknown, again and again, never 201, and once the replica is back its retry finds the job.
 */
@QuarkusTest
@TestProfile(ReplicaAcksTest.WithReplica.class)
class ReplicaAcksTest {

    private static final String OUTCOME_UNKNOWN = "https://conveyor.dev/problems/outcome-unknown";

    /** A primary and a replica of their own, and enqueues that wait for one replica. */
    public static class WithReplica implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("conveyor.queue.replica-acks", "1", "conveyor.queue.replica-ack-timeout", "500ms");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(PrimaryAndReplica.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** A redis-server and its replica on free loopback ports; the replica's port is the test's to freeze it. */
    public static class PrimaryAndReplica implements QuarkusTestResourceLifecycleManager {

        private LocalRedis primary;
        private LocalRedis replica;

        @Override
        public Map<String, String> start() {
            try {
                Path dir = Path.of("target", "test-redis-replica-acks");
                primary = LocalRedis.start(LocalRedis.freePort(), dir.resolve("primary"));
                replica = LocalRedis.start(LocalRedis.freePort(), dir.resolve("replica"), "--replicaof", "127.0.0.1",
                        Integer.toString(primary.port()));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!LocalRedisCluster.cli(replica.port(), "info", "replication")
                        .contains("master_link_status:up")) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("the replica did not link up to its primary within 30 s");
                    }
                    // polling the replica's own state: there is nothing to be notified by
                    Thread.sleep(50);
                }
                String url = "redis://127.0.0.1:" + primary.port();
                return Map.of("quarkus.redis.hosts", url, "quarkus.redis.blocking.hosts", url,
                        "conveyor.test.replica-port", Integer.toString(replica.port()));
            } catch (Exception e) {
                stop();
                throw new IllegalStateException("cannot start a primary and its replica", e);
            }
        }

        @Override
        public void stop() {
            if (replica != null) {
                replica.close();
            }
            if (primary != null) {
                primary.close();
            }
        }
    }

    @ConfigProperty(name = "conveyor.test.replica-port")
    int replicaPort;

    @Test
    void aJobIsOnTheReplicaWhenItsEnqueueIsAcknowledged() throws IOException {
        String queue = Jobs.uniqueQueue("acked");
        for (int n = 0; n < 20; n++) {
            String id = Jobs.enqueue(Map.of("type", "echo", "queue", queue, "delay", "PT1H"));
            assertThat(onReplica(id)).as("job %s on the replica right after its 201", id).isTrue();
        }
    }

    @Test
    void anEnqueueNoReplicaConfirmsIsNeverAcknowledgedAndItsRetryIsOnceTheReplicaIsBack() throws IOException {
        String queue = Jobs.uniqueQueue("unconfirmed");
        // registers the queue while the replica answers: what follows is one enqueue call each
        Jobs.enqueueWaiting(queue);
        String body = "{\"type\": \"echo\", \"queue\": \"" + queue + "\", \"delay\": \"PT1H\"}";
        String firstId;
        String replicaPid = replicaPid();
        signal(replicaPid, "STOP");
        try {
            Response first = send(body, "order-7");
            assertProblem(first.then(), 503).body("type", equalTo(OUTCOME_UNKNOWN)).header("Retry-After", equalTo("1"));
            firstId = first.path("jobId");
            // the client retries with its idempotency key: still not acknowledged while no replica confirms
            for (int retry = 0; retry < 3; retry++) {
                Response again = send(body, "order-7");
                assertProblem(again.then(), 503).body("type", equalTo(OUTCOME_UNKNOWN));
            }
        } finally {
            signal(replicaPid, "CONT");
        }
        Response retried = send(body, "order-7");
        retried.then().statusCode(200);
        assertThat(retried.<String>path("id")).as("the job the unacknowledged enqueue wrote").isEqualTo(firstId);
        assertThat(onReplica(firstId)).isTrue();
    }

    private static Response send(String body, String idempotencyKey) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", idempotencyKey).body(body)
                .when().post("/jobs");
    }

    private boolean onReplica(String jobId) throws IOException {
        int dot = jobId.lastIndexOf('.');
        String key = "conveyor:{" + jobId.substring(0, dot) + "}:job:" + jobId.substring(dot + 1);
        return LocalRedisCluster.cli(replicaPort, "exists", key).trim().equals("1");
    }

    private String replicaPid() throws IOException {
        return LocalRedisCluster.cli(replicaPort, "info", "server").lines()
                .filter(line -> line.startsWith("process_id:")).map(line -> line.substring(11).trim())
                .findFirst().orElseThrow();
    }

    /** SIGSTOP freezes the replica: its link stays open and it confirms nothing; SIGCONT resumes it. */
    private static void signal(String pid, String signal) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0).as("kill -" + signal).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
