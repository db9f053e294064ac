package dev.conveyor.api;

import static dev.conveyor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.conveyor.testing.Jobs;
import dev.conveyor.testing.RedisNodes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.core.Vertx;

/**
 * An enqueue that Redis does not answer in time (here: Redis holds every write) is not "nothing written": the script
 * runs once Redis goes on. The 503 says so and names the job ids, under which the jobs then exist.
 */
@QuarkusTest
class OutcomeUnknownTest {

    private static final String OUTCOME_UNKNOWN = "https://conveyor.dev/problems/outcome-unknown";

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
    void aSingleEnqueueRedisDoesNotAnswerNamesItsJobWhichExistsOnceRedisGoesOn() {
        String queue = knownQueue();
        Response answer;
        pauseWrites();
        try {
            answer = Jobs.post("/jobs", Map.of("type", "echo", "queue", queue, "delay", "PT1H"));
        } finally {
            nodes.sendToEach("CLIENT", "UNPAUSE");
        }
        assertProblem(answer.then(), 503)
                .body("type", equalTo(OUTCOME_UNKNOWN))
                .header("Retry-After", equalTo("1"));
        String id = answer.path("jobId");
        assertThat(id).startsWith(queue + ".");
        assertThat(answer.<String>path("detail")).contains("GET /jobs/" + id);

        Jobs.eventually().until(() -> Jobs.job(id).getString("status").equals("scheduled"));
    }

    @Test
    void aBatchRedisDoesNotAnswerNamesEveryJobInOrder() {
        String queue = knownQueue();
        Response answer;
        pauseWrites();
        try {
            answer = Jobs.post("/jobs/batch", Map.of("jobs", List.of(
                    Map.of("type", "echo", "queue", queue, "delay", "PT1H", "payload", Map.of("n", 0)),
                    Map.of("type", "echo", "queue", queue, "delay", "PT1H", "payload", Map.of("n", 1)))));
        } finally {
            nodes.sendToEach("CLIENT", "UNPAUSE");
        }
        assertProblem(answer.then(), 503).body("type", equalTo(OUTCOME_UNKNOWN));
        List<String> ids = answer.path("jobIds");
        assertThat(ids).hasSize(2);

        for (int n = 0; n < 2; n++) {
            String id = ids.get(n);
            Jobs.eventually().until(() -> Jobs.job(id).getString("status").equals("scheduled"));
            assertThat(Jobs.job(id).getInt("payload.n")).as("job %d of the batch", n).isEqualTo(n);
        }
    }

    /**
     * A queue this API process has registered already: the enqueue is then one script call, whose outcome is what
     * the test is about (a new queue's registration comes first, and while it gets no answer nothing is written).
     */
    private static String knownQueue() {
        String queue = Jobs.uniqueQueue("unknown");
        Jobs.enqueueWaiting(queue);
        return queue;
    }

    /**
     * Redis keeps every write (and script) waiting until UNPAUSE, far beyond conveyor.queue.redis-timeout (2s); on a
     * cluster every node does, so the node of the test's queue does.
     */
    private void pauseWrites() {
        nodes.sendToEach("CLIENT", "PAUSE", "30000", "WRITE");
    }
}
